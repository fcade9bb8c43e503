package io.webpipe.api;

import io.webpipe.config.Settings;

/**
 * Hands the log settings to log4j2.xml as system properties. Must run before the first logger
 * is created: log4j reads its configuration once, when it starts.
 */
final class LogFiles {
    private LogFiles() {}

    static void configure(Settings settings) {
        System.setProperty("webpipe.log.dir", settings.get("log.dir"));
        System.setProperty("webpipe.log.max-size", settings.get("log.max-size"));
        System.setProperty("webpipe.log.keep", String.valueOf(settings.getInt("log.keep")));
        System.setProperty("webpipe.log.archive-suffix", settings.getBoolean("log.compress") ? ".gz" : "");
    }
}
