package io.webpipe.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** What the child mains share: their own logging setup, the parent watch and the readiness signal. */
final class ChildProcessSupport {

    static final String LOG_CONFIG_PROPERTY = "log4j2.configurationFile";
    static final String BUNDLED_LOG_CONFIG = "classpath:io/webpipe/local/child-log4j2.properties";
    /**
     * The only address the servers listen on, for every port (client, controller, transport): none of them
     * asks for credentials, so nothing but this machine may reach them. An IP, not {@code localhost}, so that
     * no hosts file can widen it.
     */
    static final String BIND_ADDRESS = "127.0.0.1";

    private ChildProcessSupport() {}

    /** Must run before anything creates a logger: a main started by hand gets the same logging as a child. */
    static void useBundledLogConfigUnlessSet() {
        if (System.getProperty(LOG_CONFIG_PROPERTY) == null) {
            System.setProperty(LOG_CONFIG_PROPERTY, BUNDLED_LOG_CONFIG);
        }
    }

    /** A child must not outlive the JVM that started it, even when that one is killed with SIGKILL. */
    static void exitWhenParentDies(Optional<String> parentPid) {
        if (parentPid.isEmpty()) {
            return;
        }
        long pid = Long.parseLong(parentPid.get());
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("Parent process " + pid + " is gone; exiting.");
            System.exit(2);
        }
        parent.get().onExit().thenRun(() -> {
            System.err.println("Parent process " + pid + " exited; shutting down.");
            System.exit(0);
        });
    }

    /** Prints the readiness line and, when asked, writes it atomically to the file the parent waits for. */
    static void signalReady(String what, String address, Optional<String> readyFile) throws IOException {
        System.out.println("READY " + what + " " + address);
        System.out.flush();
        if (readyFile.isPresent()) {
            Path target = Path.of(readyFile.get());
            Path temp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(temp, address, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
