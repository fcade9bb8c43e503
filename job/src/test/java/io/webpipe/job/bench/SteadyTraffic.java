package io.webpipe.job.bench;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A steady stream of page views in the background: {@code eventsPerSecond}, spread over {@code activeVisitors}
 * visitors at a time; each visitor makes 1 to 20 views, then a new visitor takes its place, so that sessions open,
 * grow and (after the gap) close all the time.
 */
final class SteadyTraffic implements AutoCloseable {
    private static final int TICKS_PER_SECOND = 20;
    private final ScaleTraffic traffic;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final String run = Long.toString(Instant.now().getEpochSecond(), 36);
    private final long[] visitor;
    private final int[] viewsLeft;
    private final int[] viewsMade;
    private long nextVisitor;

    SteadyTraffic(String bootstrap, int eventsPerSecond, int activeVisitors) {
        traffic = new ScaleTraffic(bootstrap);
        visitor = new long[activeVisitors];
        viewsLeft = new int[activeVisitors];
        viewsMade = new int[activeVisitors];
        for (int slot = 0; slot < activeVisitors; slot++) {
            newVisitor(slot);
        }
        int perTick = Math.max(1, eventsPerSecond / TICKS_PER_SECOND);
        ticker.scheduleAtFixedRate(() -> tick(perTick), 0, 1000 / TICKS_PER_SECOND, TimeUnit.MILLISECONDS);
    }

    private void tick(int events) {
        for (int i = 0; i < events; i++) {
            int slot = ThreadLocalRandom.current().nextInt(visitor.length);
            traffic.send("steady-" + run + "-" + visitor[slot], visitor[slot], viewsMade[slot]++);
            if (--viewsLeft[slot] == 0) {
                newVisitor(slot);
            }
        }
    }

    private void newVisitor(int slot) {
        visitor[slot] = nextVisitor++;
        viewsLeft[slot] = ThreadLocalRandom.current().nextInt(1, 21);
        viewsMade[slot] = 0;
    }

    @Override
    public void close() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        traffic.close();
    }
}
