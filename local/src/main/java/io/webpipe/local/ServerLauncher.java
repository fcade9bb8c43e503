package io.webpipe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts a server main of this module as an attached {@link ChildProcess} and waits for its ready file. */
final class ServerLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ServerLauncher.class);

    private ServerLauncher() {}

    /** A running server and the address it wrote into its ready file. */
    record Started(ChildProcess process, String address) {}

    /**
     * Starts {@code mainClass} with {@code args} plus {@code --parent-pid} (it exits with this JVM even when this one
     * is killed) and {@code --ready-file}; output to {@code logDir/<name>.log}.
     */
    static Started start(String name, Class<?> mainClass, List<String> jvmOptions, List<String> args, Path logDir,
            Duration timeout) {
        Path readyFile = logDir.resolve(name + ".ready");
        List<String> allArgs = new ArrayList<>(args);
        allArgs.addAll(List.of("--parent-pid", Long.toString(ProcessHandle.current().pid()),
                "--ready-file", readyFile.toString()));
        ChildProcess child = ChildProcess.attached(name, logDir);
        try {
            Files.createDirectories(logDir);
            Files.deleteIfExists(readyFile);
            child.start(ChildProcess.javaCommand(jvmOptions, RuntimeClasspath.get(), mainClass.getName(), allArgs));
            LOG.info("Started {} (pid {}), log: {}", name, child.pid(), child.logFile());
            child.awaitReady(() -> Files.exists(readyFile), timeout);
            return new Started(child, Files.readString(readyFile, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            child.stop(Duration.ofSeconds(30));
            throw new UncheckedIOException("Could not start " + name, e);
        } catch (RuntimeException e) {
            child.stop(Duration.ofSeconds(30));
            throw e;
        }
    }
}
