package io.webpipe.job.upgrade;

import io.webpipe.job.Summarize;
import io.webpipe.job.session.SessionSummary;
import io.webpipe.job.session.SessionWindowFunction;
import io.webpipe.job.sink.DocumentWrite;
import java.time.Duration;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperator;
import org.apache.flink.streaming.runtime.operators.windowing.functions.InternalSingleValueProcessWindowFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes {@code sessionize}'s state as the current job keeps it, from the entries of an old savepoint: the same
 * window operator as the job's (session windows of the same gap and allowed lateness, summaries as window
 * contents) is handed every event of the old open windows, so windows, merges and their timers come out as if the
 * job had read those events, and the written sessions go into the window function's global state.
 *
 * <p>Nothing fires here ({@link TimeOpenWindows}).
 */
class SessionWindowsBootstrap extends WindowOperator<String, SessionizeEntry, SessionSummary, DocumentWrite, TimeWindow> {
    private static final long serialVersionUID = 1L;

    SessionWindowsBootstrap(Duration gap, Duration allowedLateness, ExecutionConfig config) {
        super(EventTimeSessionWindows.withGap(gap), new TimeWindow.Serializer(), entry -> entry.visitorId,
                StringSerializer.INSTANCE,
                new AggregatingStateDescriptor<>(WindowStateFormat.WINDOW_CONTENTS,
                        new EntryAggregate<>(new Summarize<>(SessionSummary::new), entry -> entry.event),
                        SessionSummary.TYPE.createSerializer(config.getSerializerConfig())),
                new InternalSingleValueProcessWindowFunction<>(new NeverFires<>()), new TimeOpenWindows(),
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
}
