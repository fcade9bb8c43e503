package io.webpipe.stack;

import io.webpipe.local.ChildProcess;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the parts of a stack running, like pm2: it looks at each part when one exits, when a restart is due and every
 * {@link #TICK}, and one that died is started again with its own command after the {@link Backoff} delay; one that
 * keeps dying is given up. Reacting to the exit itself, not to the next tick, matters for the TaskManager: its
 * restart is on the path of the job's recovery (up to a tick and a half later otherwise). Each
 * change goes to the console and to {@link Supervision} ({@code run/supervisor.json}) for {@code ./webpipe status}.
 * It restarts only what this JVM started, since only those commands (and exit statuses) it knows.
 */
final class Supervisor implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(500);

    private final StackLayout layout;
    private final Backoff backoff;
    private final Consumer<ChildProcess> afterRestart;
    private final List<Watch> watches;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervisor");
        t.setDaemon(true);
        return t;
    });

    /** {@code afterRestart} runs (on the supervisor's thread) once a part has been started again. */
    Supervisor(StackLayout layout, List<ChildProcess> parts, Backoff backoff, Consumer<ChildProcess> afterRestart) {
        this.layout = layout;
        this.backoff = backoff;
        this.afterRestart = afterRestart;
        Instant now = Instant.now();
        this.watches = parts.stream().filter(ChildProcess::isRunning).map(p -> new Watch(p, now)).toList();
    }

    void start() {
        write();
        watches.forEach(Watch::tickOnExit);
        timer.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A look at every part after {@code delay}, on the supervisor's thread; none once it is closed. */
    private void tickIn(Duration delay) {
        try {
            timer.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // the supervision ended: nothing to restart
        }
    }

    /** Stops watching (the parts keep running), and records the stack as stopped. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(30, TimeUnit.SECONDS);
        new Supervision(Supervision.STOPPED, ProcessHandle.current().pid(), "", records()).write(layout);
    }

    private void tick() {
        boolean changed = false;
        Instant now = Instant.now();
        for (Watch w : watches) {
            try {
                changed |= w.check(now);
            } catch (RuntimeException e) {
                log(w.part.name() + ": " + e);
            }
        }
        if (changed) {
            try {
                write();
            } catch (RuntimeException e) {
                log("status file not written: " + e); // an exception would end the scheduled ticks
            }
        }
    }

    private void write() {
        new Supervision(Supervision.UP, ProcessHandle.current().pid(), "", records()).write(layout);
    }

    private List<Supervision.Part> records() {
        return watches.stream().map(Watch::record).toList();
    }

    private static void log(String line) {
        System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " supervisor: " + line);
    }

    /** What the supervisor knows of one part. */
    private final class Watch {
        final ChildProcess part;
        Instant since;
        int restarts;
        int crashesInARow;
        String lastExit;
        Instant lastExitAt;
        /** Set while the part is dead and waits for its restart. */
        Instant restartAt;
        boolean givenUp;

        Watch(ChildProcess part, Instant since) {
            this.part = part;
            this.since = since;
        }

        /** The part's exit, when this JVM started it, brings a look at once. */
        void tickOnExit() {
            part.handle().ifPresent(process -> process.onExit().thenRun(() -> tickIn(Duration.ZERO)));
        }

        /** Notes a death, or restarts the part once its delay has passed; returns whether anything changed. */
        boolean check(Instant now) {
            if (givenUp) {
                return false;
            }
            if (restartAt == null) {
                if (part.isRunning()) {
                    return false;
                }
                died(now, ExitReason.of(part.exitCode()));
                return true;
            }
            if (now.isBefore(restartAt)) {
                return false;
            }
            restartAt = null;
            try {
                if (!part.restart()) {
                    givenUp = true;
                    log(part.name() + " not restarted: another run started it (./webpipe down, then up)");
                    return true;
                }
            } catch (RuntimeException e) {
                died(now, "could not start: " + e.getMessage());
                return true;
            }
            restarts++;
            since = now;
            tickOnExit();
            log(part.name() + " restarted (pid " + part.pid() + ", restart " + restarts + ")");
            afterRestart.accept(part);
            return true;
        }

        private void died(Instant now, String reason) {
            lastExit = reason;
            lastExitAt = now;
            crashesInARow = backoff.continuesRow(Duration.between(since, now)) ? crashesInARow + 1 : 1;
            if (backoff.givesUpAfter(crashesInARow)) {
                givenUp = true;
                log(part.name() + " exited (" + reason + "); given up after " + (crashesInARow - 1)
                        + " restarts in a row. Its log: " + part.logFile());
                return;
            }
            Duration delay = backoff.delay(crashesInARow);
            restartAt = now.plus(delay);
            tickIn(delay.plusMillis(5)); // a hair past restartAt on the wall clock too
            log(part.name() + " exited (" + reason + "); restarting in " + delay.toMillis() / 1000.0 + " s");
        }

        Supervision.Part record() {
            String state = givenUp ? "given up" : restartAt != null ? "restarting" : "running";
            return new Supervision.Part(part.name(), part.pid(), state, restarts, lastExit,
                    lastExitAt == null ? null : lastExitAt.truncatedTo(ChronoUnit.SECONDS).toString(),
                    since.truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }
}
