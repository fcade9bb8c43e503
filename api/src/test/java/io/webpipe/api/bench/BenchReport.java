package io.webpipe.api.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The bench's figures: a markdown table for people, then one {@code RESULT} line for scripts. */
record BenchReport(long sessions, Outcomes byId, CpuMeter.Span byIdCpu, Outcomes overview, CpuMeter.Span overviewCpu) {

    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "API with %,d sessions in the index%n%n", sessions);
        out.println("| phase | answers | sent/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | CPU-s Elasticsearch | CPU-s API | CPU-s load generator | CPU-s rest of machine |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        out.println(row("(a) `GET /api/sessions/{id}`, 200", byId, byId.found, byIdCpu));
        out.println(row("(a) `GET /api/sessions/{id}`, 404", byId, byId.notFound, null));
        out.println(row("(b) `GET /api/stats/overview`, 30 days", overview, overview.found, overviewCpu));
        out.printf(Locale.ROOT, "%n(a) latest send after its due time: %.1f ms; errors: %s; (b) errors: %s%n",
                byId.maxSendLagMs(), byId.errors(), overview.errors());
        out.println(resultLine());
    }

    String resultLine() {
        return String.format(Locale.ROOT, "RESULT api_sessions=%d session_by_id_rps=%.0f session_by_id_p50_ms=%.2f session_by_id_p99_ms=%.2f"
                        + " overview_month_p50_ms=%.2f overview_month_p99_ms=%.2f errors=%d",
                sessions, byId.sentPerSecond(), byId.found.percentileMs(50), byId.found.percentileMs(99),
                overview.found.percentileMs(50), overview.found.percentileMs(99), byId.errorCount() + overview.errorCount());
    }

    /** One table row; {@code cpu} null leaves the phase columns (sent/s, errors, CPU) to the row above. */
    private static String row(String phase, Outcomes outcomes, Latencies latencies, CpuMeter.Span cpu) {
        return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %s |", phase, latencies.count(),
                cpu == null ? "" : String.format(Locale.ROOT, "%.1f", outcomes.sentPerSecond()),
                cpu == null ? "" : Integer.toString(outcomes.errorCount()),
                latencies.percentileMs(50), latencies.percentileMs(90), latencies.percentileMs(99), latencies.percentileMs(99.9),
                latencies.maxMs(), cpu == null ? "" : seconds(cpu.elasticsearch()), cpu == null ? "" : seconds(cpu.api()),
                cpu == null ? "" : seconds(cpu.generator()), cpu == null ? "" : seconds(cpu.others()));
    }

    private static String seconds(double cpuSeconds) {
        return Double.isNaN(cpuSeconds) ? "n/a" : String.format(Locale.ROOT, "%.1f", cpuSeconds);
    }
}
