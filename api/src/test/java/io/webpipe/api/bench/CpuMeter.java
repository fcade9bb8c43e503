package io.webpipe.api.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU seconds used so far by the Elasticsearch JVM, by this JVM, and by the load generator's threads within it,
 * so a phase's CPU can be split into Elasticsearch, the API (this JVM less the generator) and the generator; and
 * what the whole machine used meanwhile, so that a run disturbed by other work on the machine shows as such.
 * Process times are the JDK's {@link ProcessHandle.Info#totalCpuDuration()} (user + system of
 * {@code /proc/<pid>/stat} on Linux), thread times {@link ThreadMXBean#getThreadCpuTime(long)}, the machine's
 * {@link com.sun.management.OperatingSystemMXBean#getCpuLoad()}: on Linux the busy share of all cores since its
 * previous call, so nothing else in this JVM may call it between two readings.
 */
final class CpuMeter {
    private final OptionalLong elasticsearchPid;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean machine =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** {@code elasticsearchPid} empty: Elasticsearch runs elsewhere and its CPU is not measured. */
    CpuMeter(OptionalLong elasticsearchPid) {
        this.elasticsearchPid = elasticsearchPid;
    }

    Reading read() {
        double elasticsearch = elasticsearchPid.isPresent() ? seconds(ProcessHandle.of(elasticsearchPid.getAsLong())
                .orElseThrow(() -> new IllegalStateException("Elasticsearch (pid " + elasticsearchPid.getAsLong() + ") has exited"))) : Double.NaN;
        Map<Long, Long> generator = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(LoadGenerator.THREAD_PREFIX)) {
                generator.put(t.getId(), threads.getThreadCpuTime(t.getId()));
            }
        }
        return new Reading(elasticsearch, seconds(ProcessHandle.current()), generator, System.nanoTime(), machine.getCpuLoad(),
                machine.getAvailableProcessors());
    }

    private static double seconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("the CPU time of process " + process.pid() + " is not readable")) / 1e9;
    }

    /**
     * One reading; the generator's per thread (nanoseconds), as threads may start between readings; the machine's
     * busy share of its {@code cores} since the previous reading.
     */
    record Reading(double elasticsearch, double thisJvm, Map<Long, Long> generatorThreads, long nanoTime, double machineLoad, int cores) {
        /** CPU seconds from {@code earlier} to this reading. */
        Span since(Reading earlier) {
            long generatorNanos = 0;
            for (Map.Entry<Long, Long> t : generatorThreads.entrySet()) {
                generatorNanos += t.getValue() - earlier.generatorThreads.getOrDefault(t.getKey(), 0L);
            }
            double generator = generatorNanos / 1e9;
            // A negative load: the JDK could not read it.
            double machine = machineLoad < 0 ? Double.NaN : machineLoad * cores * (nanoTime - earlier.nanoTime) / 1e9;
            return new Span(elasticsearch - earlier.elasticsearch, thisJvm - earlier.thisJvm - generator, generator, machine);
        }
    }

    /**
     * CPU seconds of a phase: Elasticsearch (NaN when not measured), the API (this JVM without the generator), the
     * generator, and the whole machine (NaN when the JDK cannot tell).
     */
    record Span(double elasticsearch, double api, double generator, double machine) {
        /** What the rest of the machine used: other processes, the kernel's own work. */
        double others() {
            return machine - (Double.isNaN(elasticsearch) ? 0 : elasticsearch) - api - generator;
        }
    }
}
