package io.webpipe.job.upgrade;

import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.pages.PageTotal;
import io.webpipe.job.pages.PageTotals;
import io.webpipe.job.pages.PageView;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.PageWindowViews;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.state.RecentValuesOperator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.api.output.operators.KeyedStateBootstrapOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PageTotalsBootstrap} adds a page's unreported views to its old totals in whichever order the migration's
 * entries come, and leaves the page with one idle timer and one write due, as {@link PageTotals} would have: also
 * when the old totals had a write pending at the savepoint (their timer is not carried over, a new one is due).
 */
class PageTotalsBootstrapTest {
    private static final Duration IDLE = Duration.ofDays(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "totals first: {0}, a write pending in them: {1}")
    @CsvSource({"true, false", "false, false", "true, true", "false, true"})
    void unreportedViewsAreAddedToTheTotalsInEitherOrder(boolean totalsFirst, boolean writePending) throws Exception {
        PageTotal old = new PageTotal();
        old.add(summary("e1", "v1", 10_000));
        old.add(summary("e2", "v2", 20_000));
        old.version = 5;
        old.flushAt = writePending ? 12_345 : 0;
        List<PageTotalsEntry> entries = totalsFirst
                ? List.of(PageTotalsEntry.total("/a", old), PageTotalsEntry.unreported(summary("e3", "v1", 70_000)),
                        PageTotalsEntry.unreported(summary("e4", "v3", 130_000)))
                : List.of(PageTotalsEntry.unreported(summary("e3", "v1", 70_000)),
                        PageTotalsEntry.unreported(summary("e4", "v3", 130_000)), PageTotalsEntry.total("/a", old));
        OperatorSubtaskState bootstrapped;
        try (var bootstrap = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedStateBootstrapOperator<>(0, new Path("unused"), new PageTotalsBootstrap(IDLE)),
                (PageTotalsEntry e) -> e.pageKey, Types.STRING)) {
            bootstrap.open();
            for (PageTotalsEntry entry : entries) {
                bootstrap.processElement(entry, 0);
            }
            bootstrapped = bootstrap.snapshot(1, 1);
        }
        try (var totals = new KeyedOneInputStreamOperatorTestHarness<>(new RecentValuesOperator<>(
                new PageTotals("web-pages", Duration.ofSeconds(5), IDLE, Clock.systemUTC())),
                (PageWindowSummary s) -> s.pageKey, Types.STRING)) {
            totals.initializeState(bootstrapped);
            totals.open();
            assertThat(totals.numEventTimeTimers()).isEqualTo(1);
            assertThat(totals.numProcessingTimeTimers()).isEqualTo(1);
            totals.setProcessingTime(System.currentTimeMillis() + 1); // due at once, by the migration's clock
            List<DocumentWrite> writes = totals.extractOutputValues();
            assertThat(writes).hasSize(1);
            assertThat(totals.numProcessingTimeTimers()).isZero();
            JsonNode page = JSON.readTree(writes.get(0).json);
            assertThat(page.get("views").asLong()).isEqualTo(4);
            assertThat(page.get("visitors").asLong()).isEqualTo(3);
            assertThat(page.get("lastSeen").asText()).isEqualTo("1970-01-01T00:02:10Z");
            assertThat(page.get("recentViews")).hasSize(3);
            assertThat(writes.get(0).version).isGreaterThan(5);

            totals.processElement(summary("e5", "v1", 140_000), 140_000); // later views are written again
            totals.setProcessingTime(Long.MAX_VALUE / 2);
            assertThat(documentViews(totals.extractOutputValues())).isEqualTo(5);
        }
    }

    private static long documentViews(List<DocumentWrite> writes) throws Exception {
        return JSON.readTree(writes.get(writes.size() - 1).json).get("views").asLong();
    }

    private static PageWindowSummary summary(String eventId, String visitor, long t) {
        PageWindowViews views = new PageWindowViews();
        views.add(PageView.of(pageView(eventId, visitor, t, "/a"), false));
        return PageWindowSummary.of("/a", t - t % 60_000, views);
    }
}
