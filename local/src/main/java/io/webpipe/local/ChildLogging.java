package io.webpipe.local;

/**
 * The logging of the project's child JVMs, for those started outside this module (the local stack's demo): the
 * servers' log4j2 configuration, to the console, or with {@code -Dwebpipe.log.appender=rolling} and the
 * {@code webpipe.log.*} properties to a rolling file of their own.
 */
public final class ChildLogging {
    /** The JVM flag that selects the bundled configuration. */
    public static final String JVM_OPTION = "-D" + ServerMain.LOG_CONFIG_PROPERTY + "=" + ServerMain.BUNDLED_LOG_CONFIG;

    private ChildLogging() {}
}
