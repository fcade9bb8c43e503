package io.webpipe.api.collect;

import io.webpipe.api.http.ApiException;
import io.webpipe.schema.EventContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.servlet.http.HttpServletRequest;

/**
 * Reads a request body of at most {@link EventContract#MAX_BODY_BYTES}, whatever its transfer
 * encoding (the limit counts the bytes as read, so a chunked body declares nothing it could lie
 * about). A larger one, or a compressed one (its inflated size is unknown), is refused without
 * being kept in memory.
 *
 * <p>Before a refusal the rest of the body is read and dropped, up to {@link #DRAIN_BYTES}: a server
 * that answers and closes while the client is still sending makes the client's TCP stack discard
 * the answer (a reset), so the client would see a broken connection instead of the 413. A body
 * beyond that much is not worth reading; its client may then miss the answer.
 */
final class BoundedBody {
    /** Most bytes of a refused body read (and dropped) so that its answer reaches the client. */
    static final long DRAIN_BYTES = 4L * EventContract.MAX_BODY_BYTES;

    private BoundedBody() {}

    static byte[] read(HttpServletRequest request) {
        int maxBytes = EventContract.MAX_BODY_BYTES;
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw refuse(request, new ApiException(415, "unsupported_encoding", null,
                    "the body must not be compressed (Content-Encoding " + clip(encoding) + "); send it as it is"));
        }
        if (request.getContentLengthLong() > maxBytes) {
            throw refuse(request, tooLarge(maxBytes));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getInputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (body.size() + n > maxBytes) {
                    throw refuse(request, tooLarge(maxBytes));
                }
                body.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ApiException(400, "unreadable_body", null, "the request body could not be read");
        }
        return body.toByteArray();
    }

    /** Drops what is left of the body (up to {@link #DRAIN_BYTES}), then returns the refusal to throw. */
    private static ApiException refuse(HttpServletRequest request, ApiException refusal) {
        if (request.getContentLengthLong() <= DRAIN_BYTES) {
            try {
                InputStream in = request.getInputStream();
                byte[] buffer = new byte[8192];
                long drained = 0;
                int n;
                while (drained < DRAIN_BYTES && (n = in.read(buffer)) != -1) {
                    drained += n;
                }
            } catch (IOException e) {
                // the client went away: nobody is left to answer
            }
        }
        return refusal;
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "body_too_large", null, "the body is larger than " + maxBytes + " bytes");
    }

    private static String clip(String s) {
        String ascii = s.replaceAll("[^\\x20-\\x7e]", "?");
        return ascii.length() <= 32 ? ascii : ascii.substring(0, 32) + "...";
    }
}
