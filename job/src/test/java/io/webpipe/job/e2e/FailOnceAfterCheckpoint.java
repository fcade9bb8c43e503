package io.webpipe.job.e2e;

import io.webpipe.schema.WebEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes events through, slowly, and throws once when a checkpoint has completed and at least
 * {@code afterEvents} events went through: the job must restart from that checkpoint. The flags are
 * static because the MiniCluster runs in the test JVM and a restart creates new instances.
 */
final class FailOnceAfterCheckpoint implements MapFunction<WebEvent, WebEvent>, CheckpointListener {
    private static final long serialVersionUID = 1L;

    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger SEEN = new AtomicInteger();

    private final int afterEvents;

    FailOnceAfterCheckpoint(int afterEvents) {
        this.afterEvents = afterEvents;
    }

    static void reset() {
        CHECKPOINTED.set(false);
        FAILED.set(false);
        SEEN.set(0);
    }

    @Override
    public WebEvent map(WebEvent event) throws Exception {
        if (!FAILED.get()) {
            if (SEEN.incrementAndGet() % 20 == 0) {
                Thread.sleep(1); // keep the stream flowing until a checkpoint completed
            }
            if (CHECKPOINTED.get() && SEEN.get() >= afterEvents && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + SEEN.get() + " events");
            }
        }
        return event;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTED.set(true);
    }
}
