package io.webpipe.job.upgrade;

import io.webpipe.job.session.Sessionize;
import io.webpipe.job.session.VisitorSessions;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/**
 * Writes the sessionizer's state ({@link Sessionize}) from the entries of an old savepoint's session windows: each
 * open window becomes an open session with its summary and whether its final document was written, each written
 * document goes with them, and the visitor gets the timer of its next step due, as the sessionizer would have asked.
 * The live documents' processing-time ticks are not carried over: a live session's
 * document is rewritten with the visitor's next event, or by its final write.
 */
class SessionsBootstrap extends KeyedStateBootstrapFunction<String, SessionizeEntry> {
    private static final long serialVersionUID = 1L;

    private final long gapMs;
    private final long allowedLatenessMs;
    private transient ValueState<VisitorSessions> state;

    SessionsBootstrap(Duration gap, Duration allowedLateness) {
        this.gapMs = gap.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(Sessionize.SESSIONS);
    }

    @Override
    public void processElement(SessionizeEntry entry, Context ctx) throws Exception {
        VisitorSessions visitor = state.value();
        if (visitor == null) {
            visitor = new VisitorSessions();
        }
        if (entry.summary != null) {
            visitor.restore(entry.summary, entry.finalFired);
            long due = visitor.nextDue(gapMs, allowedLatenessMs);
            if (due < visitor.timer) {
                ctx.timerService().registerEventTimeTimer(due);
                visitor.timer = due;
            }
        } else {
            visitor.restore(entry.written);
        }
        state.update(visitor);
    }
}
