package io.webpipe.job.session;

import static io.webpipe.job.Events.click;
import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.state.RecentValuesOperator;
import io.webpipe.schema.WebEvent;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GuardSessionsTest {
    static final long T0 = 1_795_564_800_000L;
    private static final Duration FINAL_AFTER = Duration.ofMinutes(40);

    @Test
    void aRedeliveredEventPassesOnce() throws Exception {
        try (var harness = harness(10)) {
            harness.processElement(click("e1", "v", T0), T0);
            harness.processElement(click("e1", "v", T0), T0);
            harness.processElement(click("e2", "v", T0 + 1), T0 + 1);
            assertThat(harness.extractOutputValues()).extracting(e -> e.eventId).containsExactly("e1", "e2");
        }
    }

    /** A visitor sending 20,000 events in one session: the window gets the first 2,000, the rest are set aside with the reason. */
    @Test
    void aHugeSessionKeepsBoundedStateAndSetsTheRestAside() throws Exception {
        try (var harness = harness(2000)) {
            for (int i = 0; i < 20_000; i++) {
                WebEvent e = click("e" + i, "bot", T0 + i);
                harness.processElement(e, e.timestamp);
            }
            assertThat(harness.extractOutputValues()).hasSize(2000);
            assertThat(harness.getSideOutput(GuardSessions.OVER_LIMIT)).hasSize(18_000)
                    .allSatisfy(r -> assertThat(((StreamRecord<LateEvent>) r).getValue().reason).startsWith("over the session limit"));
            // one value of at most 2,000 ids for the visitor, one timer
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void idsAreForgottenOnceEveryWindowOfTheVisitorIsFinal() throws Exception {
        try (var harness = harness(10)) {
            harness.processElement(click("e1", "v", T0), T0);
            harness.processElement(click("e2", "v", T0 + 60_000), T0 + 60_000);
            harness.processWatermark(T0 + FINAL_AFTER.toMillis()); // before the latest event's end: kept
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
            harness.processWatermark(T0 + 60_000 + FINAL_AFTER.toMillis());
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    /** With RocksDB the open events of recent visitors stay deserialized: a checkpoint still holds them. */
    @Test
    void aRestoredGuardStillKnowsTheIdsAndTheCountOfEachVisitor() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var harness = unopened(3, true)) {
            harness.open();
            harness.processElement(click("e1", "v", T0), T0);
            harness.processElement(click("e2", "v", T0 + 1), T0 + 1);
            harness.prepareSnapshotPreBarrier(1);
            checkpoint = harness.snapshot(1, 0);
        }
        try (var restored = unopened(3, true)) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processElement(click("e1", "v", T0), T0); // redelivered after the restore
            restored.processElement(click("e3", "v", T0 + 2), T0 + 2);
            restored.processElement(click("e4", "v", T0 + 3), T0 + 3); // the fourth of a limit of three
            assertThat(restored.extractOutputValues()).extracting(e -> e.eventId).containsExactly("e3");
            assertThat(restored.getSideOutput(GuardSessions.OVER_LIMIT)).hasSize(1);
        }
    }

    /**
     * An upgrade from the version that kept the ids in a map state of their own ({@link CreateGuardSnapshots}: limit 3,
     * {@code e1} and {@code e2} of {@code v} taken): the restored visitor still knows both, its ids move into its value,
     * and it is forgotten as before.
     */
    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void aVisitorRestoredFromTheVersionWithAMapOfIdsKeepsThem(boolean rocksDb) throws Exception {
        OperatorSubtaskState before = OperatorSnapshotUtil.readStateHandle(
                Path.of(GuardSessionsTest.class.getResource("/upgrade/" + idsInMapFixture(rocksDb)).toURI()).toString());
        try (var restored = unopened(3, rocksDb)) {
            restored.initializeState(before);
            restored.open();
            restored.processElement(click("e1", "v", T0), T0); // redelivered after the upgrade
            restored.processElement(click("e3", "v", T0 + 2), T0 + 2);
            restored.processElement(click("e2", "v", T0 + 1), T0 + 1); // redelivered too
            restored.processElement(click("e4", "v", T0 + 3), T0 + 3); // the fourth of a limit of three
            assertThat(restored.extractOutputValues()).extracting(e -> e.eventId).containsExactly("e3");
            assertThat(restored.getSideOutput(GuardSessions.OVER_LIMIT)).hasSize(1);
            if (!rocksDb) {
                assertThat(restored.numKeyedStateEntries()).isEqualTo(1); // the map's entries are gone
            }
            restored.processWatermark(T0 + 2 + FINAL_AFTER.toMillis() + 60_000);
            assertThat(restored.numEventTimeTimers()).isZero();
            if (!rocksDb) {
                assertThat(restored.numKeyedStateEntries()).isZero();
            }
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WebEvent, WebEvent> harness(int maxEvents) throws Exception {
        var harness = unopened(maxEvents, false);
        harness.open();
        return harness;
    }

    /** The name of a fixture of {@link CreateGuardSnapshots}. */
    static String idsInMapFixture(boolean rocksDb) {
        return "guard-ids-in-map-" + (rocksDb ? "rocksdb" : "heap") + ".snapshot";
    }

    static KeyedOneInputStreamOperatorTestHarness<String, WebEvent, WebEvent> unopened(int maxEvents, boolean rocksDb)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new RecentValuesOperator<>(
                new GuardSessions(FINAL_AFTER, maxEvents)), (WebEvent e) -> e.visitorId, Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return harness;
    }
}
