package io.webpipe.api.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void answersAreSortedByStatusAndTheResultLineCarriesEveryFigure() {
        Outcomes byId = new Outcomes();
        for (int ms = 1; ms <= 100; ms++) {
            byId.answered(ms * 1_000_000L, 200);
        }
        byId.answered(7_000_000L, 404);
        byId.answered(1_000_000L, 503);
        byId.failed(new HttpTimeoutException("late"));
        byId.sent(103, 0.2, 0);
        Outcomes overview = new Outcomes();
        overview.answered(120_000_000L, 200);
        overview.sent(1, 0.12, 0);
        BenchReport report = new BenchReport(1_000_000, byId, new CpuMeter.Span(1, 2, 0.5, 4), overview, new CpuMeter.Span(Double.NaN, 0.1, 0, Double.NaN));

        assertThat(byId.found.count()).isEqualTo(100);
        assertThat(byId.notFound.count()).isEqualTo(1);
        assertThat(byId.errors()).containsOnlyKeys("HTTP 503", "HttpTimeoutException");
        assertThat(report.resultLine()).isEqualTo("RESULT api_sessions=1000000 session_by_id_rps=515 session_by_id_p50_ms=50.00"
                + " session_by_id_p99_ms=99.00 overview_month_p50_ms=120.00 overview_month_p99_ms=120.00 errors=2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| 1.0 | 2.0 | 0.5 | 0.5 |", "| n/a | 0.1 | 0.0 | n/a |")
                .endsWith(report.resultLine() + System.lineSeparator());
    }
}
