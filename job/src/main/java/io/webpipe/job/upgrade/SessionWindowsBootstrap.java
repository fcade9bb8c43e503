package io.webpipe.job.upgrade;

import io.webpipe.job.session.SessionSummary;
import io.webpipe.job.session.SessionWindowFunction;
import io.webpipe.job.session.SummarizeSession;
import io.webpipe.job.sink.DocumentWrite;
import java.time.Duration;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperator;
import org.apache.flink.streaming.runtime.operators.windowing.functions.InternalSingleValueProcessWindowFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * Writes {@code sessionize}'s state as the current job keeps it, from the entries of an old savepoint: the same
 * window operator as the job's (session windows of the same gap and allowed lateness, summaries as window
 * contents) is handed every event of the old open windows, so windows, merges and their timers come out as if the
 * job had read those events, and the written sessions go into the window function's global state.
 *
 * <p>Nothing fires here: the State Processor API hands a bootstrap operator no watermark. Its trigger times a window's
 * end as the job's does, unless the window had fired its final result before the savepoint (then it only waits
 * for late events until its cleanup, as it did); the job's processing-time ticks come with its next event.
 */
class SessionWindowsBootstrap extends WindowOperator<String, SessionizeEntry, SessionSummary, DocumentWrite, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** The name Flink's window operator gives its window contents (WindowOperatorBuilder's, not public). */
    static final String WINDOW_CONTENTS = "window-contents";

    SessionWindowsBootstrap(Duration gap, Duration allowedLateness, ExecutionConfig config) {
        super(EventTimeSessionWindows.withGap(gap), new TimeWindow.Serializer(), entry -> entry.visitorId,
                StringSerializer.INSTANCE,
                new AggregatingStateDescriptor<>(WINDOW_CONTENTS, new AddEvents(),
                        SummarizeSession.TYPE.createSerializer(config.getSerializerConfig())),
                new InternalSingleValueProcessWindowFunction<>(new NeverFires()), new TimeOpenWindows(),
                allowedLateness.toMillis(), null);
    }

    @Override
    public void processElement(StreamRecord<SessionizeEntry> record) throws Exception {
        SessionizeEntry entry = record.getValue();
        if (entry.written != null) {
            getKeyedStateStore().getMapState(SessionWindowFunction.WRITTEN).put(entry.sessionId, entry.written);
        } else {
            super.processElement(record.replace(entry, entry.event.timestamp)); // its window by its event time
        }
    }

    /** The job's {@link SummarizeSession}, for the events the entries carry. */
    private static final class AddEvents implements AggregateFunction<SessionizeEntry, SessionSummary, SessionSummary> {
        private static final long serialVersionUID = 1L;
        private final SummarizeSession summarize = new SummarizeSession();

        @Override
        public SessionSummary createAccumulator() {
            return summarize.createAccumulator();
        }

        @Override
        public SessionSummary add(SessionizeEntry entry, SessionSummary summary) {
            return summarize.add(entry.event, summary);
        }

        @Override
        public SessionSummary getResult(SessionSummary summary) {
            return summary;
        }

        @Override
        public SessionSummary merge(SessionSummary a, SessionSummary b) {
            return summarize.merge(a, b);
        }
    }

    /** Registers the timer at a window's end as the job's trigger does, for the windows that had not fired at it. */
    private static final class TimeOpenWindows extends Trigger<SessionizeEntry, TimeWindow> {
        private static final long serialVersionUID = 1L;

        /** Called with the window after any merge the entry caused: the last entry of a window times its end. */
        @Override
        public TriggerResult onElement(SessionizeEntry entry, long timestamp, TimeWindow window, TriggerContext ctx) {
            if (!entry.finalFired) {
                ctx.registerEventTimeTimer(window.maxTimestamp());
            }
            return TriggerResult.CONTINUE;
        }

        @Override
        public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
            return TriggerResult.CONTINUE;
        }

        @Override
        public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
            return TriggerResult.CONTINUE;
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        @Override
        public void onMerge(TimeWindow window, OnMergeContext ctx) {}

        @Override
        public void clear(TimeWindow window, TriggerContext ctx) {
            ctx.deleteEventTimeTimer(window.maxTimestamp());
        }
    }

    private static final class NeverFires extends ProcessWindowFunction<SessionSummary, DocumentWrite, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String visitorId, Context context, Iterable<SessionSummary> summaries, Collector<DocumentWrite> out) {
            throw new IllegalStateException("a window fired while its state was being migrated");
        }
    }
}
