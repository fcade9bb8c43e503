package io.webpipe.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a supervisor needs of a child: its exit status, a restart with the same command, a stop that spares its children. */
class ChildProcessSupervisionTest {

    @Test
    void aKilledChildReportsTheSignalAndRestartsWithItsCommand(@TempDir Path dir) throws Exception {
        ChildProcess child = ChildProcess.detached("sleeper", dir, dir, false);
        assertThat(child.restart()).as("never started here").isFalse();
        child.start(List.of("sleep", "300"));
        try {
            ProcessHandle first = child.handle().orElseThrow();
            assertThat(child.exitCode()).isEmpty();
            child.kill();
            first.onExit().get(10, TimeUnit.SECONDS);
            assertThat(child.exitCode()).hasValue(128 + 9);

            assertThat(child.restart()).isTrue();
            assertThat(child.pid()).isNotEqualTo(first.pid());
            assertThat(child.isRunning()).isTrue();
        } finally {
            child.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRestartAfterAKillStartsWithAnEmptyScratchDirectory(@TempDir Path dir) throws Exception {
        Path scratch = dir.resolve("scratch");
        Path seen = dir.resolve("seen-at-start");
        ChildProcess child = ChildProcess.detached("tmp-writer", dir, dir, false).withScratchDir(scratch);
        // Each run lists what it finds in its scratch directory, then leaves a file there, as a crashed Flink leaves its jars.
        List<String> command = List.of("sh", "-c", "found=$(ls -A " + scratch + "); mkdir " + scratch + "/left && touch "
                + scratch + "/left/file; { [ -n \"$found\" ] && echo \"$found\"; echo run; } >> " + seen + "; sleep 300");
        child.start(command);
        try {
            awaitLines(seen, 1);
            ProcessHandle first = child.handle().orElseThrow();
            child.kill();
            first.onExit().get(10, TimeUnit.SECONDS);
            assertThat(scratch.resolve("left/file")).exists();

            assertThat(child.restart()).isTrue();
            awaitLines(seen, 2);
            assertThat(Files.readAllLines(seen)).as("what each run found").containsExactly("run", "run");
        } finally {
            child.stop(Duration.ofSeconds(5));
        }
    }

    private static void awaitLines(Path file, int lines) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readAllLines(file).size() >= lines);
    }

    @Test
    void terminateAloneLeavesTheChildsOwnChildrenRunning(@TempDir Path dir) throws Exception {
        ChildProcess parent = ChildProcess.detached("parent", dir, dir, false);
        parent.start(List.of("sh", "-c", "sleep 300 & wait"));
        ProcessHandle shell = parent.handle().orElseThrow();
        ProcessHandle grandchild = null;
        try {
            // The shell forks its sleep at once; bounded so that a broken shell fails the test instead of hanging it.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (grandchild == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                grandchild = shell.children().findFirst().orElse(null);
            }
            assertThat(grandchild).as("the shell's sleep").isNotNull();
            assertThat(parent.terminateAlone(Duration.ofSeconds(10))).isTrue();
            assertThat(shell.isAlive()).isFalse();
            assertThat(grandchild.isAlive()).isTrue();
        } finally {
            if (grandchild != null) {
                grandchild.destroyForcibly();
            }
            parent.stop(Duration.ofSeconds(5));
        }
    }
}
