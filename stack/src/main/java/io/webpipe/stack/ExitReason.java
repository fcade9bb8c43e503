package io.webpipe.stack;

import java.util.Map;
import java.util.OptionalInt;

/** Why a part's process ended, from its exit status as Java reports it (128 + the signal for a killed process). */
final class ExitReason {
    private static final int SIGNALLED = 128;
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT",
            9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    private ExitReason() {}

    /** "exit code 1", "SIGKILL (exit 137)", or "exit status unknown" for a process another JVM started. */
    static String of(OptionalInt exitCode) {
        if (exitCode.isEmpty()) {
            return "exit status unknown";
        }
        int code = exitCode.getAsInt();
        if (code > SIGNALLED && code < SIGNALLED + 64) {
            return SIGNALS.getOrDefault(code - SIGNALLED, "signal " + (code - SIGNALLED)) + " (exit " + code + ")";
        }
        return "exit code " + code;
    }
}
