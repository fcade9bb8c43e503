package io.webpipe.job.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.source.DeadLetterKind;
import io.webpipe.schema.EventContract;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every reason the contract gives for the hostile records has a kind of its own: the metric label is never "other". */
class DeadLetterKindTest {

    @Test
    void everyRefusalOfTheContractHasAKind() {
        EventContract contract = new EventContract(EventContract.DEFAULT_MAX_FUTURE_SKEW);
        Map<String, String> kinds = new TreeMap<>();
        HostileRecords.refused(Instant.parse("2026-11-25T00:00:00Z").toEpochMilli()).forEach((kind, record) ->
                kinds.put(kind, DeadLetterKind.of(contract.decode(record, System.currentTimeMillis()).reason())));
        assertThat(kinds).doesNotContainValue(DeadLetterKind.OTHER);
        assertThat(kinds.values()).containsOnly("not_json", "missing_field", "wrong_type", "too_long", "time_range", "too_large");
        assertThat(DeadLetterKind.of("something new")).isEqualTo(DeadLetterKind.OTHER);
    }
}
