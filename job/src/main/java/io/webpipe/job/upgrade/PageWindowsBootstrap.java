package io.webpipe.job.upgrade;

import io.webpipe.job.Summarize;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.PageWindowViews;
import io.webpipe.job.pages.SummarizePageWindow;
import java.time.Duration;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperator;
import org.apache.flink.streaming.runtime.operators.windowing.functions.InternalSingleValueProcessWindowFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes {@code page-windows}' state as the current job keeps it, from the entries of an old savepoint: the job's
 * window operator (tumbling windows of the same size and allowed lateness, {@link PageWindowViews} as window
 * contents) is handed every view of the old open windows, and each window's reported counts go back into its
 * per-window state, so a window's next firing reports only what it had not. Nothing fires here
 * ({@link TimeOpenWindows}).
 */
class PageWindowsBootstrap extends WindowOperator<String, PageWindowEntry, PageWindowViews, PageWindowSummary, TimeWindow> {
    private static final long serialVersionUID = 1L;

    PageWindowsBootstrap(Duration size, Duration allowedLateness, ExecutionConfig config) {
        super(TumblingEventTimeWindows.of(size), new TimeWindow.Serializer(), entry -> entry.pageKey,
                StringSerializer.INSTANCE,
                new AggregatingStateDescriptor<>(WindowStateFormat.WINDOW_CONTENTS,
                        new EntryAggregate<>(new Summarize<>(PageWindowViews::new), entry -> entry.view),
                        PageWindowViews.TYPE.createSerializer(config.getSerializerConfig())),
                new InternalSingleValueProcessWindowFunction<>(new NeverFires<>()), new TimeOpenWindows(),
                allowedLateness.toMillis(), null);
    }

    @Override
    public void processElement(StreamRecord<PageWindowEntry> record) throws Exception {
        PageWindowEntry entry = record.getValue();
        if (entry.view != null) {
            super.processElement(record.replace(entry, entry.view.timestamp)); // its window by its event time
            return;
        }
        TimeWindow window = new TimeWindow(entry.windowStart, entry.windowEnd);
        restore(window, SummarizePageWindow.REPORTED, entry.reportedViews);
        restore(window, SummarizePageWindow.REPORTED_BOTS, entry.reportedBotViews);
    }

    private void restore(TimeWindow window, ValueStateDescriptor<Long> descriptor, Long value) throws Exception {
        if (value != null) {
            getPartitionedState(window, windowSerializer, descriptor).update(value);
        }
    }
}
