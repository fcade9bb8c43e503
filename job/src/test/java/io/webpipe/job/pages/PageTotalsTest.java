package io.webpipe.job.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.state.RecentValuesOperator;
import io.webpipe.schema.PageDocument;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTotalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLUSH = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofDays(30);

    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void summariesAddUpToTheWholePageDocumentWithExactDistinctVisitorsAndRisingVersions(boolean rocksDb) throws Exception {
        try (var harness = harness(rocksDb)) {
            harness.open();
            harness.processElement(summary(2, 60_000, 61_000, "e2", "Old title", "v1", "v2"), 0);
            harness.setProcessingTime(FLUSH.toMillis());
            // A later firing of an earlier window: older views, one new visitor, the title stays the newest one's.
            PageWindowSummary withBots = summary(1, 1_000, 1_000, "e0", "Oldest title", "v2", "v3");
            withBots.botViews = 4;
            harness.processElement(withBots, 0);
            harness.setProcessingTime(2 * FLUSH.toMillis());

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).hasSize(2).allSatisfy(w -> assertThat(w.id).isEqualTo("/a"));
            assertThat(writes.get(1).version).isGreaterThan(writes.get(0).version);
            PageDocument doc = JSON.readValue(writes.get(1).json, PageDocument.class);
            assertThat(doc.views).isEqualTo(3);
            assertThat(doc.visitors).isEqualTo(3);
            assertThat(doc.botViews).as("apart from the views").isEqualTo(4);
            assertThat(doc.pageTitle).isEqualTo("Old title");
            assertThat(doc.url).isEqualTo("/a");
            assertThat(doc.firstSeen).isEqualTo("1970-01-01T00:00:01Z");
            assertThat(doc.lastSeen).isEqualTo("1970-01-01T00:01:01Z");
            assertThat(java.time.Instant.parse(doc.updatedAt).toEpochMilli()).isEqualTo(writes.get(1).version);
        }
    }

    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void recentViewsArePerMinuteOverThePagesLatestThirtyMinutes(boolean rocksDb) throws Exception {
        try (var harness = harness(rocksDb)) {
            harness.open();
            harness.processElement(minute(0, 4), 0);
            harness.processElement(minute(10, 2), 0);
            harness.processElement(minute(10, 1), 0); // an early firing's views, then the rest of the minute
            harness.processElement(minute(39, 5), 0); // minute 0 is out of the range now
            harness.processElement(minute(5, 3), 0); // late and out of the range: counted in views only
            harness.setProcessingTime(FLUSH.toMillis());

            PageDocument doc = JSON.readValue(harness.extractOutputValues().get(0).json, PageDocument.class);
            assertThat(doc.recentViews).extracting(m -> m.minute + "=" + m.views)
                    .containsExactly("1970-01-01T00:10:00Z=3", "1970-01-01T00:39:00Z=5");
            assertThat(doc.views).isEqualTo(15);
        }
    }

    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void changesWithinOneFlushIntervalBecomeOneWrite(boolean rocksDb) throws Exception {
        try (var harness = harness(rocksDb)) {
            harness.open();
            for (int i = 0; i < 50; i++) {
                harness.processElement(summary(1, i * 60_000L, i * 60_000L, "e" + i, "Title", "v" + i), 0);
            }
            assertThat(harness.extractOutputValues()).isEmpty();
            harness.setProcessingTime(FLUSH.toMillis());

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).hasSize(1);
            assertThat(JSON.readValue(writes.get(0).json, PageDocument.class).views).isEqualTo(50);
        }
    }

    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void anIdlePageIsWrittenAndForgottenAndItsTimersGo(boolean rocksDb) throws Exception {
        try (var harness = harness(rocksDb)) {
            harness.open();
            harness.processElement(summary(4, 1_000, 2_000, "e1", "Title", "v1"), 0);
            harness.processWatermark(2_000 + IDLE.toMillis());

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.getOperator().getKeyedStateBackend().getKeys(PageTotals.TOTAL.getName(), VoidNamespace.INSTANCE))
                    .isEmpty();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    /** A page with 100,000 distinct visitors, reported in 100 window summaries: the estimate is within the documented error. */
    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void distinctVisitorsAreCountedInBoundedState(boolean rocksDb) throws Exception {
        try (var harness = harness(rocksDb)) {
            harness.open();
            for (int batch = 0; batch < 100; batch++) {
                String[] visitors = new String[1000];
                for (int i = 0; i < visitors.length; i++) {
                    visitors[i] = "visitor-" + (batch * 1000 + i);
                }
                harness.processElement(summary(1000, 1_000, 2_000 + batch, "e" + batch, "Title", visitors), 0);
            }
            harness.processWatermark(Long.MAX_VALUE);
            PageDocument doc = JSON.readValue(harness.extractOutputValues().get(0).json, PageDocument.class);
            assertThat(doc.views).isEqualTo(100_000);
            assertThat(doc.visitors).isCloseTo(100_000L, org.assertj.core.data.Percentage.withPercentage(5));
        }
    }

    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void theEndOfABoundedInputWritesWhatIsPending(boolean rocksDb) throws Exception {
        try (var harness = harness(rocksDb)) {
            harness.open();
            harness.processElement(summary(4, 1_000, 2_000, "e1", "Title", "v1"), 0);
            harness.processWatermark(Long.MAX_VALUE);

            assertThat(harness.extractOutputValues()).hasSize(1);
            harness.setProcessingTime(FLUSH.toMillis()); // the interval's timer finds nothing pending
            assertThat(harness.extractOutputValues()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "RocksDB {0}")
    @ValueSource(booleans = {false, true})
    void aPageIsIdleOnlyAfterItsLatestViewHowEverLateItCame(boolean rocksDb) throws Exception {
        try (var harness = harness(rocksDb)) {
            harness.open();
            harness.processElement(summary(1, 1_000, 2_000, "e1", "Title", "v1"), 0);
            harness.processElement(summary(1, 9_000, 9_000, "e2", "Title", "v2"), 0);
            harness.processWatermark(2_000 + IDLE.toMillis()); // idle by the first view, not by the second

            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numEventTimeTimers()).isOne();
            harness.processWatermark(9_000 + IDLE.toMillis());
            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    /** With RocksDB the totals of recent pages are kept deserialized: a checkpoint still holds every change. */
    @Test
    void aCheckpointHoldsTheChangesOfPagesKeptDeserialized() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var harness = harness(true)) {
            harness.open();
            harness.processElement(summary(2, 1_000, 2_000, "e1", "Title", "v1", "v2"), 0);
            for (int page = 0; page < PageTotals.RECENT_PAGES + 1; page++) { // the first page leaves the kept ones
                PageWindowSummary other = summary(1, 1_000, 2_000, "o" + page, "Other", "v1");
                other.pageKey = "/other-" + page;
                harness.processElement(other, 0);
            }
            harness.processElement(summary(1, 3_000, 3_000, "e3", "Title", "v3"), 0); // read back, kept, changed
            harness.prepareSnapshotPreBarrier(1);
            checkpoint = harness.snapshot(1, 0);
        }
        try (var restored = harness(true)) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processElement(summary(1, 4_000, 4_000, "e4", "Title", "v1"), 0);
            restored.processWatermark(Long.MAX_VALUE);
            PageDocument doc = restored.extractOutputValues().stream().filter(w -> w.id.equals("/a"))
                    .map(w -> read(w.json)).findFirst().orElseThrow();
            assertThat(doc.views).isEqualTo(4);
            assertThat(doc.visitors).isEqualTo(3);
        }
    }

    private static PageDocument read(String json) {
        try {
            return JSON.readValue(json, PageDocument.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageWindowSummary, DocumentWrite> harness(boolean rocksDb)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new RecentValuesOperator<>(
                new PageTotals("web-pages", FLUSH, IDLE, Clock.systemUTC())), (PageWindowSummary s) -> s.pageKey, Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return harness;
    }

    @Test
    void pageStateAndRecordsArePojos() {
        assertThat(TypeInformation.of(PageTotal.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PageWindowSummary.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PageView.class)).isInstanceOf(PojoTypeInfo.class);
    }

    /** {@code views} reported by a firing of the window of {@code minute}. */
    private static PageWindowSummary minute(long minute, long views) {
        long start = minute * 60_000;
        PageWindowSummary s = summary(views, start, start, "e" + minute, "Title", "v" + minute);
        s.windowStart = start;
        return s;
    }

    private static PageWindowSummary summary(long views, long first, long last, String lastEventId, String title,
            String... visitors) {
        PageWindowSummary s = new PageWindowSummary();
        s.pageKey = "/a";
        s.url = "/a";
        s.views = views;
        s.firstSeen = first;
        s.lastSeen = last;
        s.lastEventId = lastEventId;
        s.pageTitle = title;
        for (String visitor : visitors) {
            s.visitors = VisitorSketch.add(s.visitors, visitor);
        }
        return s;
    }
}
