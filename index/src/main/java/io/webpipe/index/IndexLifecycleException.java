package io.webpipe.index;

/** A lifecycle step that cannot be done as asked (unknown version, alias missing, a failed reindex); the message is for the operator. */
public class IndexLifecycleException extends RuntimeException {
    public IndexLifecycleException(String message) {
        super(message);
    }
}
