package io.webpipe.job.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.schema.PageDocument;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PageTotalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLUSH = Duration.ofSeconds(5);
    private static final Duration IDLE = Duration.ofDays(30);

    @Test
    void summariesAddUpToTheWholePageDocumentWithExactDistinctVisitorsAndRisingVersions() throws Exception {
        try (var harness = harness()) {
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

    @Test
    void recentViewsArePerMinuteOverThePagesLatestThirtyMinutes() throws Exception {
        try (var harness = harness()) {
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

    @Test
    void changesWithinOneFlushIntervalBecomeOneWrite() throws Exception {
        try (var harness = harness()) {
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

    @Test
    void anIdlePageIsWrittenAndForgottenAndItsTimersGo() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(summary(4, 1_000, 2_000, "e1", "Title", "v1"), 0);
            harness.processWatermark(2_000 + IDLE.toMillis());

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    /** A page with 100,000 distinct visitors, reported in 100 window summaries: the estimate is within the documented error. */
    @Test
    void distinctVisitorsAreCountedInBoundedState() throws Exception {
        try (var harness = harness()) {
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

    @Test
    void theEndOfABoundedInputWritesWhatIsPending() throws Exception {
        try (var harness = harness()) {
            harness.open();
            harness.processElement(summary(4, 1_000, 2_000, "e1", "Title", "v1"), 0);
            harness.processWatermark(Long.MAX_VALUE);

            assertThat(harness.extractOutputValues()).hasSize(1);
            harness.setProcessingTime(FLUSH.toMillis()); // the interval's timer finds nothing pending
            assertThat(harness.extractOutputValues()).hasSize(1);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageWindowSummary, DocumentWrite> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new PageTotals("web-pages", FLUSH, IDLE, Clock.systemUTC())), (PageWindowSummary s) -> s.pageKey, Types.STRING);
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
