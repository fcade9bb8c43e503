package io.webpipe.api.http;

/**
 * A request that cannot be answered as asked. Rendered as {@code {"error": ..., "field": ..., "message": ...}}
 * with its status; the message is meant for the caller, so it never carries internals.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final String field;

    public ApiException(int status, String error, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    /** A query parameter or body field with an unusable value. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid_parameter", field, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", null, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", null, message);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** The parameter or field at fault, or null. */
    public String field() {
        return field;
    }
}
