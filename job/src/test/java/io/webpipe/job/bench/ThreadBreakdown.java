package io.webpipe.job.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a process's CPU time between two samples went to, by thread name with numbers folded ({@code C2
 * CompilerThre#}, {@code GC Thread#}): threads alive at both samples are measured, and the rest of the
 * process's time is charged to threads that started or ended in between (in a job run: its task threads).
 */
final class ThreadBreakdown {
    static final String STARTED_OR_ENDED = "(threads started or ended in between)";

    private ThreadBreakdown() {}

    static Map<String, Double> between(Map<Long, ProcessCpu.ThreadCpu> before, Map<Long, ProcessCpu.ThreadCpu> after,
            double processSeconds) {
        Map<String, Double> byName = new TreeMap<>();
        double measured = 0;
        for (Map.Entry<Long, ProcessCpu.ThreadCpu> e : after.entrySet()) {
            ProcessCpu.ThreadCpu earlier = before.get(e.getKey());
            if (earlier != null && earlier.name().equals(e.getValue().name())) {
                double used = e.getValue().seconds() - earlier.seconds();
                byName.merge(group(e.getValue().name()), used, Double::sum);
                measured += used;
            }
        }
        byName.put(STARTED_OR_ENDED, processSeconds - measured);
        return byName;
    }

    static String group(String threadName) {
        return threadName.replaceAll("[0-9]+", "#");
    }
}
