package io.webpipe.stack;

import io.webpipe.local.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Readiness polling of the parts that {@code up} starts, with progress dots, and the start-up time of each: from
 * its own start to its own readiness.
 */
final class Startup {
    private static final Duration POLL = Duration.ofMillis(250);

    private final Map<String, Long> startedAt = new HashMap<>();
    private final Map<String, Duration> times = new LinkedHashMap<>();
    private final List<ChildProcess> launched = new ArrayList<>();

    /** A part and the check that says it is ready. */
    record Readiness(ChildProcess part, BooleanSupplier ready) {}

    /** Starts a part unless it already runs, and remembers when. */
    void launch(ChildProcess part, Runnable start) {
        if (part.isRunning()) {
            System.out.println("    " + part.name() + " already running");
            return;
        }
        startedAt.put(part.name(), System.nanoTime());
        launched.add(part);
        start.run();
    }

    /** The parts {@link #launch} started, in order (a failed {@code up} stops these and leaves the others). */
    List<ChildProcess> launched() {
        return List.copyOf(launched);
    }

    /** Waits for all parts at once; fails with the log tail of a part that died or timed out. */
    void awaitReady(Duration timeout, List<Readiness> parts) throws InterruptedException {
        List<Readiness> pending = new ArrayList<>(parts);
        long deadline = System.nanoTime() + timeout.toNanos();
        System.out.print("    waiting for " + String.join(", ", pending.stream().map(r -> r.part().name()).toList()) + " ");
        for (int tick = 0; !pending.isEmpty(); tick++) {
            for (Iterator<Readiness> it = pending.iterator(); it.hasNext(); ) {
                Readiness r = it.next();
                if (r.ready().getAsBoolean()) {
                    it.remove();
                    Long partStart = startedAt.get(r.part().name());
                    if (partStart != null) {
                        Duration took = record(r.part().name(), partStart);
                        System.out.printf("%n    %s ready (%.1f s)", r.part().name(), took.toMillis() / 1000.0);
                    }
                } else {
                    failIfDeadOrLate(r.part(), deadline, timeout);
                }
            }
            if (!pending.isEmpty()) {
                if (tick % 4 == 0) {
                    System.out.print(".");
                    System.out.flush();
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        System.out.println();
    }

    /** Waits for {@code condition}, while {@code part} runs, with a dot per poll. */
    static void awaitCondition(ChildProcess part, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            failIfDeadOrLate(part, deadline, timeout);
            System.out.print(".");
            System.out.flush();
            Thread.sleep(2 * POLL.toMillis());
        }
    }

    private static void failIfDeadOrLate(ChildProcess part, long deadline, Duration timeout) {
        try {
            part.failIfDeadOrLate(deadline, timeout);
        } catch (IllegalStateException e) {
            System.out.println(" FAILED");
            throw e;
        }
    }

    /** Records {@code what} as taking from {@code startNanos} until now; returns that time. */
    Duration record(String what, long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        times.put(what, took);
        return took;
    }

    Map<String, Duration> times() {
        return Collections.unmodifiableMap(times);
    }

    /** "kafka 5.0 s, elasticsearch 7.1 s, ...": the start-up times except the whole "up". */
    String describe() {
        List<String> parts = new ArrayList<>();
        times.forEach((name, took) -> {
            if (!name.equals(LocalStack.UP)) {
                parts.add(String.format("%s %.1f s", name, took.toMillis() / 1000.0));
            }
        });
        return parts.isEmpty() ? "everything was already running" : String.join(", ", parts);
    }
}
