package io.webpipe.schema;

/** Names of the running pipeline that the job and the stack that deploys it both use. */
public final class Pipeline {
    /** The name the Flink job runs under: the Web UI, the stack's {@code up}, {@code status} and {@code down}. */
    public static final String JOB_NAME = "webpipe sessions";

    private Pipeline() {}
}
