package io.webpipe.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What the server mains share: their own logging setup, their command line (picocli, with {@code --help}), the
 * options every one has ({@link Options}), the parent watch and the readiness signal.
 */
final class ServerMain {

    static final String LOG_CONFIG_PROPERTY = "log4j2.configurationFile";
    static final String BUNDLED_LOG_CONFIG = "classpath:io/webpipe/local/child-log4j2.properties";
    /**
     * The only address the servers listen on, for every port (client, controller, transport): none of them
     * asks for credentials, so nothing but this machine may reach them. An IP, not {@code localhost}, so that
     * no hosts file can widen it.
     */
    static final String BIND_ADDRESS = "127.0.0.1";
    /** Exit status when the server cannot start; picocli's 2 stands for a bad command line. */
    static final int FAILED = 1;

    private ServerMain() {}

    /**
     * Runs a server's {@code @Command}: sets up logging before anything creates a logger (a main started by hand
     * logs as a child does), then exits with its status.
     */
    static void run(Callable<Integer> server, String[] args) {
        if (System.getProperty(LOG_CONFIG_PROPERTY) == null) {
            System.setProperty(LOG_CONFIG_PROPERTY, BUNDLED_LOG_CONFIG);
        }
        System.exit(new CommandLine(server).execute(args));
    }

    /** Writes the bundled logging configuration to {@code file}, for a server that reads its own (Elasticsearch). */
    static void writeLogConfig(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream config = ServerMain.class.getResourceAsStream(BUNDLED_LOG_CONFIG.substring(BUNDLED_LOG_CONFIG.lastIndexOf('/') + 1))) {
            Files.copy(config, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The options of every server main (a picocli mixin). */
    static final class Options {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory, kept across restarts.")
        Path data;
        @Option(names = "--parent-pid", paramLabel = "PID", description = "Exit when that process exits.")
        Long parentPid;
        @Option(names = "--ready-file", paramLabel = "FILE", description = "Written atomically once the server is usable.")
        Path readyFile;

        Path dataDir() {
            return data.toAbsolutePath().normalize();
        }

        /** A child must not outlive the JVM that started it, even when that one is killed with SIGKILL. */
        void exitWhenParentDies() {
            if (parentPid == null) {
                return;
            }
            Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
            if (parent.isEmpty() || !parent.get().isAlive()) {
                System.err.println("Parent process " + parentPid + " is gone; exiting.");
                System.exit(2);
            }
            parent.get().onExit().thenRun(() -> {
                System.err.println("Parent process " + parentPid + " exited; shutting down.");
                System.exit(0);
            });
        }

        /** Prints the readiness line and, when asked, writes the address atomically to the ready file. */
        void signalReady(String what, String address) throws IOException {
            System.out.println("READY " + what + " " + address);
            System.out.flush();
            if (readyFile != null) {
                Path temp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
                Files.writeString(temp, address, StandardCharsets.UTF_8);
                Files.move(temp, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
