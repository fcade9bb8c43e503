package io.webpipe.job.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The CPU seconds of named processes at one instant; two of them give what each used in between. */
record CpuSample(long nanoTime, Map<String, Double> seconds) {

    static CpuSample take(ProcessCpu cpu, Map<String, Long> pids) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        pids.forEach((name, pid) -> seconds.put(name, cpu.seconds(pid)));
        return new CpuSample(System.nanoTime(), seconds);
    }

    /** What each process of this sample used until {@code later}, and the wall time between the two. */
    Span until(CpuSample later) {
        Map<String, Double> used = new LinkedHashMap<>();
        seconds.forEach((name, s) -> used.put(name, later.seconds.get(name) - s));
        return new Span((later.nanoTime - nanoTime) / 1e9, used);
    }

    /** CPU seconds per process over {@code wallSeconds}. */
    record Span(double wallSeconds, Map<String, Double> cpuSeconds) {
        double cpu(String name) {
            Double s = cpuSeconds.get(name);
            if (s == null) {
                throw new IllegalArgumentException("no process " + name + " in " + cpuSeconds.keySet());
            }
            return s;
        }
    }
}
