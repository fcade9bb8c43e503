package io.webpipe.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, for requests java.net.http refuses to send (a malformed URI, an odd
 * method, garbage in the query). One request per connection ({@code Connection: close}); the
 * answer is read to the end and its body de-chunked.
 */
final class RawHttp {
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
    private static final int READ_TIMEOUT_MS = 30_000;

    private RawHttp() {}

    /** Sends {@code method target} with the given header lines and body; answers status, headers and body. */
    static TestApi.Reply exchange(int port, String method, byte[] target, List<String> headers, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " ").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(target);
        StringBuilder head = new StringBuilder(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            request.writeBytes(body);
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.getOutputStream().write(request.toByteArray());
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestApi.Reply parse(byte[] response) {
        int end = indexOf(response, HEADER_END, 0);
        if (end < 0 || response.length < 12) {
            throw new IllegalStateException("no HTTP answer: " + new String(response, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(response, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(response, end + HEADER_END.length, response.length);
        if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
            body = dechunk(body);
        }
        return new TestApi.Reply(status, body, HttpHeaders.of(headers, (a, b) -> true));
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, at);
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
