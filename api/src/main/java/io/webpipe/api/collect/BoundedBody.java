package io.webpipe.api.collect;

import io.webpipe.api.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.servlet.http.HttpServletRequest;

/** Reads a request body of at most a given size; a larger one is a 413 and is not read into memory. */
final class BoundedBody {
    private BoundedBody() {}

    static byte[] read(HttpServletRequest request, int maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (body.size() + n > maxBytes) {
                    throw tooLarge(maxBytes); // chunked bodies declare no length
                }
                body.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ApiException(400, "unreadable_body", null, "the request body could not be read");
        }
        return body.toByteArray();
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(413, "body_too_large", null, "the body is larger than " + maxBytes + " bytes");
    }
}
