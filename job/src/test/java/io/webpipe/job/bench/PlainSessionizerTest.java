package io.webpipe.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.job.JobConfig;
import io.webpipe.job.e2e.TrafficGenerator;
import io.webpipe.job.session.SessionDocuments;
import io.webpipe.schema.EventContract;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plain limit does the job's work: on disordered traffic with duplicates, exactly the oracle's documents. */
class PlainSessionizerTest {
    @Test
    void givesExactlyTheExpectedSessionsOnDisorderedTrafficWithDuplicates() {
        TrafficGenerator.Traffic traffic = new TrafficGenerator(3, true).generate(300);
        EventContract contract = new EventContract(EventContract.DEFAULT_MAX_FUTURE_SKEW);
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> written = new HashMap<>();
        PlainSessionizer sessionizer = new PlainSessionizer(TrafficGenerator.GAP, Duration.ofMinutes(10), Duration.ofSeconds(10),
                SessionDocuments.of(JobConfig.load(Map.of())), doc -> assertThat(written.put(doc.sessionId, json.valueToTree(doc))).isNull());
        long now = System.currentTimeMillis();
        for (TrafficGenerator.Record r : traffic.records) {
            EventContract.Decoded d = contract.decode(r.value, now);
            if (d.isAccepted()) {
                sessionizer.accept(d.event());
            }
        }
        sessionizer.finish();

        assertThat(traffic.duplicates).isPositive();
        assertThat(DocumentComparison.differences(traffic.expected, written)).isEmpty();
    }
}
