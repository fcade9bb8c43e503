package io.webpipe.stack;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body (RFC 7578) with one file part, streamed from disk: the delimiter and part
 * headers around {@link BodyPublishers#ofFile}, joined by {@link BodyPublishers#concat}.
 */
final class MultipartFormData {
    private final String boundary = "webpipe-" + UUID.randomUUID();
    private final BodyPublisher body;

    private MultipartFormData(String field, Path file, String contentType) throws FileNotFoundException {
        String partHeaders = String.join("\r\n",
                "--" + boundary,
                "Content-Disposition: form-data; name=" + quoted(field) + "; filename=" + quoted(file.getFileName().toString()),
                "Content-Type: " + contentType,
                "", "");
        body = BodyPublishers.concat(
                BodyPublishers.ofString(partHeaders, StandardCharsets.UTF_8),
                BodyPublishers.ofFile(file),
                BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
    }

    /** A form with {@code file} as the value of {@code field}. */
    static MultipartFormData ofFile(String field, Path file, String contentType) throws FileNotFoundException {
        return new MultipartFormData(field, file, contentType);
    }

    /** Sets the body and its {@code Content-Type} with the boundary. */
    HttpRequest.Builder postTo(HttpRequest.Builder request) {
        return request.header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body);
    }

    /** A quoted-string for a header parameter: quotes and backslashes escaped, line breaks (never in a name) refused. */
    private static String quoted(String value) {
        if (value.contains("\r") || value.contains("\n")) {
            throw new IllegalArgumentException("line break in a form-data name: " + value);
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
