package io.webpipe.job.session;

import io.webpipe.schema.WebEvent;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The session windows' incremental aggregation: each event is folded into the window's {@link SessionSummary} as it
 * arrives, and merged windows merge their summaries, so a window holds a summary instead of its events.
 */
public class SummarizeSession implements AggregateFunction<WebEvent, SessionSummary, SessionSummary> {
    private static final long serialVersionUID = 1L;

    /** The window state's type: Flink's POJO serializer (state schema evolution), never Kryo. */
    public static final TypeInformation<SessionSummary> TYPE = TypeInformation.of(SessionSummary.class);

    @Override
    public SessionSummary createAccumulator() {
        return new SessionSummary();
    }

    @Override
    public SessionSummary add(WebEvent event, SessionSummary summary) {
        return summary.add(event);
    }

    @Override
    public SessionSummary getResult(SessionSummary summary) {
        return summary;
    }

    @Override
    public SessionSummary merge(SessionSummary a, SessionSummary b) {
        return a.merge(b);
    }
}
