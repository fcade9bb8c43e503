package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchResultTest {
    @Test
    void theResultLineHasTheIssuesExactForm() {
        BenchResult r = new BenchResult(300_000, 10.0, 6.0, 12.0, 1.5, 50_000_000, 20_000, true);
        assertThat(r.resultLine()).isEqualTo("RESULT job_eps_per_cpu=30000 kstreams_eps_per_cpu=25000 plain_eps_per_cpu=200000 "
                + "job_vs_kstreams=2.00 job_vs_plain=0.15 state_bytes_per_open_session=2500 events=300000 sessions_exact=true");
    }

    @Test
    void theKafkaStreamsPairingUsesTheJobWithDiscardingSinks() {
        BenchResult r = new BenchResult(1000, 4.0, 2.0, 1.0, 1.0, 0, 1, false);
        assertThat(r.resultLine()).contains("job_vs_kstreams=0.50", "job_vs_plain=0.25", "sessions_exact=false");
    }
}
