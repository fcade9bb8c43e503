package io.webpipe.job.session;

import static io.webpipe.job.Events.click;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

/**
 * Writes the fixtures of {@code GuardSessionsTest}'s restore from the version whose guard kept each visitor's event ids
 * in a map state of their own ({@code open-event-ids}, before they moved into {@link GuardSessions.OpenEvents}): with
 * that version only (commit 6ead577), a guard of limit 3 that took events {@code e1} and {@code e2} of visitor
 * {@code v}, snapshotted on the heap and with RocksDB. A main, not a test.
 *
 * <p>{@code java -cp <test classpath> io.webpipe.job.session.CreateGuardSnapshots job/src/test/resources/upgrade}
 */
public final class CreateGuardSnapshots {
    private CreateGuardSnapshots() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (boolean rocksDb : new boolean[] {false, true}) {
            try (var harness = GuardSessionsTest.unopened(3, rocksDb)) {
                harness.open();
                harness.processElement(click("e1", "v", GuardSessionsTest.T0), GuardSessionsTest.T0);
                harness.processElement(click("e2", "v", GuardSessionsTest.T0 + 1), GuardSessionsTest.T0 + 1);
                harness.prepareSnapshotPreBarrier(1);
                Path file = dir.resolve(GuardSessionsTest.idsInMapFixture(rocksDb));
                OperatorSnapshotUtil.writeStateHandle(harness.snapshot(1, 0), file.toString());
                System.out.println("wrote " + file);
            }
        }
    }
}
