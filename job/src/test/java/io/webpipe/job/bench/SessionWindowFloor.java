package io.webpipe.job.bench;

import io.webpipe.job.JobConfig;
import io.webpipe.job.SessionJob;
import io.webpipe.job.source.DecodedRecord;
import io.webpipe.schema.WebEvent;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;

/**
 * What Flink's own session windows cost on the same records, with the least work a session can take: the job's
 * source, decoding and watermarks, one {@code keyBy} per visitor, {@code EventTimeSessionWindows} with the job's gap
 * and allowed lateness, an incremental count per session, a discarding sink. No guard, no documents, no pages.
 * Beside the job with discarding sinks it tells how much of the job's cost is the framework's windowing itself.
 */
final class SessionWindowFloor {
    private SessionWindowFloor() {}

    static void build(StreamExecutionEnvironment env, JobConfig config, Source<DecodedRecord, ?, ?> source) {
        SessionJob.configure(env, config);
        SessionJob.decode(env, config, source)
                .keyBy(e -> e.visitorId, Types.STRING)
                .window(EventTimeSessionWindows.withGap(config.sessionGap))
                .allowedLateness(config.allowedLateness)
                .aggregate(new CountEvents())
                .name("count per session")
                .uid("count-per-session")
                .sinkTo(new DiscardingSink<>())
                .name("discard")
                .uid("discard");
    }

    /** Events per session window (duplicates included: the floor does not deduplicate). */
    static final class CountEvents implements AggregateFunction<WebEvent, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(WebEvent event, Long count) {
            return count + 1;
        }

        @Override
        public Long getResult(Long count) {
            return count;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }
}
