package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures are reported with the child's log, and a child never outlives its parent. */
class ChildProcessFailureTest {

    @Test
    void aBrokerThatCannotBindItsPortFailsWithItsLogTail(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            assertThatThrownBy(() -> KafkaBroker.start(dataDir, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("kafka exited with code")
                    .hasMessageContaining("From " + dataDir.resolve("log").resolve("kafka.log"))
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void aChildExitsWhenItsParentDies(@TempDir Path dataDir) throws Exception {
        Process parent = new ProcessBuilder("sleep", "300").start();
        Path readyFile = dataDir.resolve("ready");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", RuntimeClasspath.get(), KafkaBroker.class.getName(),
                "--port", "0", "--data", dataDir.resolve("kafka").toString(),
                "--parent-pid", Long.toString(parent.pid()), "--ready-file", readyFile.toString()))
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("kafka.log").toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(readyFile) || !child.isAlive());
            assertThat(readyFile).exists();

            parent.destroyForcibly().waitFor();

            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child exited after its parent died").isTrue();
        } finally {
            child.destroyForcibly();
            parent.destroyForcibly();
        }
    }
}
