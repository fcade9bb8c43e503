package io.webpipe.api.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * HTTP GETs against the API, through Jetty's HTTP client (the JDK's spends most of its time in a linear scan of its
 * connection pool once a stall made it open many connections). {@link #atRate} is an open model: request {@code i}
 * is due at {@code start + i / rate} whatever the answers before it did, and its latency counts from that due time,
 * so a stall of the server (or of this generator) shows in the latencies instead of silently slowing the schedule
 * (coordinated omission). Every thread of the generator is named {@value #THREAD_PREFIX}…, so {@link CpuMeter} can
 * tell its CPU from the API's in this JVM.
 */
final class LoadGenerator implements AutoCloseable {
    static final String THREAD_PREFIX = "loadgen-";
    private static final long REQUEST_TIMEOUT_SECONDS = 10;
    /** Requests beyond the open connections wait in the client (their latency counting) rather than fail. */
    private static final int MAX_QUEUED = 1_000_000;

    private final ExecutorService scheduleThread;
    private final HttpClient client = new HttpClient();

    LoadGenerator() {
        AtomicInteger n = new AtomicInteger();
        scheduleThread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, THREAD_PREFIX + "schedule-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        QueuedThreadPool clientThreads = new QueuedThreadPool(8);
        clientThreads.setName(THREAD_PREFIX + "client");
        clientThreads.setDaemon(true);
        client.setExecutor(clientThreads);
        client.setScheduler(new ScheduledExecutorScheduler(THREAD_PREFIX + "timeouts", true));
        client.setMaxRequestsQueuedPerDestination(MAX_QUEUED);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
    }

    /** {@code rate} requests a second for {@code length}, to the URIs {@code targets} gives, then waits for every answer. */
    Outcomes atRate(double rate, Duration length, Supplier<URI> targets) {
        return onGeneratorThread(() -> schedule(rate, length, targets));
    }

    /** {@code count} requests one after the other (a closed loop: each leaves when the last is answered). */
    Outcomes oneAtATime(int count, Supplier<URI> targets) {
        return onGeneratorThread(() -> sequence(count, targets));
    }

    /** The loop that sends runs on a generator thread too, so that its CPU is the generator's. */
    private Outcomes onGeneratorThread(Supplier<Outcomes> run) {
        return CompletableFuture.supplyAsync(run, scheduleThread).join();
    }

    private Outcomes schedule(double rate, Duration length, Supplier<URI> targets) {
        Outcomes outcomes = new Outcomes();
        double periodNanos = 1e9 / rate;
        long count = (long) (length.toNanos() / periodNanos);
        CompletableFuture<?>[] answers = new CompletableFuture<?>[(int) count];
        long start = System.nanoTime();
        long maxLag = 0;
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * periodNanos);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            maxLag = Math.max(maxLag, System.nanoTime() - due);
            answers[i] = send(targets.get(), due, outcomes);
        }
        outcomes.sent(count, (System.nanoTime() - start) / 1e9, maxLag);
        CompletableFuture.allOf(answers).join();
        return outcomes;
    }

    private Outcomes sequence(int count, Supplier<URI> targets) {
        Outcomes outcomes = new Outcomes();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            send(targets.get(), System.nanoTime(), outcomes).join();
        }
        outcomes.sent(count, (System.nanoTime() - start) / 1e9, 0);
        return outcomes;
    }

    /** Sends one GET; the body is read and dropped. Completes once the answer (or failure) is recorded. */
    private CompletableFuture<?> send(URI target, long dueNanos, Outcomes outcomes) {
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        client.newRequest(target).timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS).send(result -> {
            if (result.isSucceeded()) {
                outcomes.answered(System.nanoTime() - dueNanos, result.getResponse().getStatus());
            } else {
                outcomes.failed(result.getFailure());
            }
            recorded.complete(null);
        });
        return recorded;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP client", e);
        } finally {
            scheduleThread.shutdownNow();
        }
    }
}
