package io.webpipe.job.pages;

import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.schema.WebEvent;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DedupePageViewsTest {

    @Test
    void anEventIdCountsOnceAlsoAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            harness.processElement(pageView("e1", "v1", 1000, "/a"), 1000);
            harness.processElement(pageView("e1", "v1", 1000, "/a"), 1000);
            harness.processElement(pageView("e2", "v2", 2000, "/a"), 2000);
            assertThat(harness.extractOutputValues()).extracting(v -> v.eventId).containsExactly("e1", "e2");
            snapshot = harness.snapshot(1, 3000);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(pageView("e2", "v2", 2000, "/a"), 2000);
            restored.processElement(pageView("e3", "v2", 3000, "/a"), 3000);
            assertThat(restored.extractOutputValues()).extracting(v -> v.eventId).containsExactly("e3");
        }
    }

    @Test
    void aPageIsItsPageIdElseItsUrlAndOverLongIdsAreHashed() {
        WebEvent byUrl = pageView("e1", "v", 1, "https://shop.example/p/1");
        assertThat(PageView.keyOf(byUrl)).isEqualTo("https://shop.example/p/1");
        WebEvent byId = pageView("e2", "v", 1, "https://shop.example/p/1?x=1");
        byId.pageId = "p1";
        assertThat(PageView.keyOf(byId)).isEqualTo("p1");
        WebEvent longUrl = pageView("e3", "v", 1, "https://shop.example/" + "한".repeat(200));
        assertThat(PageView.keyOf(longUrl)).startsWith("sha256-").hasSize(7 + 64);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, WebEvent, PageView> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupePageViews(Duration.ofDays(1))), PageView::keyOf, Types.STRING);
    }
}
