package io.webpipe.job.bench;

import java.util.Locale;

/**
 * The bench's figures and its machine-readable last line. Every rate is events per CPU-second of the
 * measured process (or thread, for the plain sessionizer). {@code job_vs_kstreams} pairs the job with
 * discarding sinks against the peer, which discards too; {@code job_vs_plain} is the job as deployed.
 *
 * @param events           distinct valid events in the topic (the same numerator for every rate)
 * @param jobCpu           CPU seconds of the job as deployed (Elasticsearch sink)
 * @param jobDiscardCpu    CPU seconds of the job with discarding sinks
 * @param kstreamsCpu      CPU seconds of the Kafka Streams peer
 * @param plainCpu         CPU seconds of the plain-Java thread
 * @param checkpointBytes  full size of a checkpoint taken while {@code openSessions} sessions were open
 */
record BenchResult(long events, double jobCpu, double jobDiscardCpu, double kstreamsCpu, double plainCpu,
        long checkpointBytes, long openSessions, boolean sessionsExact) {

    static long perCpuSecond(long events, double cpuSeconds) {
        return Math.round(events / cpuSeconds);
    }

    long jobEps() {
        return perCpuSecond(events, jobCpu);
    }

    long jobDiscardEps() {
        return perCpuSecond(events, jobDiscardCpu);
    }

    long kstreamsEps() {
        return perCpuSecond(events, kstreamsCpu);
    }

    long plainEps() {
        return perCpuSecond(events, plainCpu);
    }

    long stateBytesPerOpenSession() {
        return Math.round((double) checkpointBytes / openSessions);
    }

    String resultLine() {
        return String.format(Locale.ROOT,
                "RESULT job_eps_per_cpu=%d kstreams_eps_per_cpu=%d plain_eps_per_cpu=%d job_vs_kstreams=%.2f job_vs_plain=%.2f "
                        + "state_bytes_per_open_session=%d events=%d sessions_exact=%b",
                jobEps(), kstreamsEps(), plainEps(), kstreamsCpu / jobDiscardCpu, plainCpu / jobCpu,
                stateBytesPerOpenSession(), events, sessionsExact);
    }
}
