package io.webpipe.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.schema.EventContract;
import io.webpipe.schema.WebEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every kind of malformed record reaches the dead-letter output with its bytes, reason, partition and offset. */
class DeadLettersTest {
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{not json                                                                 | not JSON",
            "[1,2,3]                                                                   | not a JSON object",
            "{\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}                   | missing required field 'eventId'",
            "{\"eventId\":\"e\",\"timestamp\":1,\"visitorId\":\"v\"}                    | missing required field 'type'",
            "{\"eventId\":\"e\",\"type\":\"click\",\"visitorId\":\"v\"}                 | missing required field 'timestamp'",
            "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1}                     | missing required field 'visitorId'",
            "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":\"yesterday\",\"visitorId\":\"v\"} | unreadable timestamp",
            "{\"eventId\":\"e\",\"type\":\"page_view\",\"timestamp\":1,\"visitorId\":\"v\"} | missing required field 'url'",
            "{\"eventId\":7,\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\"}      | field 'eventId' must be a string",
            "{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"v\",\"properties\":3} | field 'properties' must be an object",
    })
    void malformedRecordsBecomeDeadLetters(String value, String reason) throws Exception {
        byte[] bytes = value.trim().getBytes(StandardCharsets.UTF_8);
        Result result = run(bytes);

        assertThat(result.events).isEmpty();
        assertThat(result.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason).contains(reason);
            assertThat(d.value).isEqualTo(bytes);
            assertThat(d.topic).isEqualTo("web-log");
            assertThat(d.partition).isEqualTo(2);
            assertThat(d.offset).isEqualTo(41L);
        });
    }

    @Test
    void emptyAndBinaryRecordsBecomeDeadLetters() throws Exception {
        assertThat(run(new byte[0]).deadLetters).singleElement().satisfies(d -> assertThat(d.reason).isEqualTo("empty record"));
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1};
        assertThat(run(binary).deadLetters).singleElement().satisfies(d -> assertThat(d.value).isEqualTo(binary));
    }

    @Test
    void eventTimesAheadOfTheClockByMoreThanTheSkewBecomeDeadLetters() throws Exception {
        long tooEarly = NOW.millis() + SKEW.toMillis() + 1;
        byte[] bytes = ("{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":" + tooEarly
                + ",\"visitorId\":\"v\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(run(bytes).deadLetters).singleElement()
                .satisfies(d -> assertThat(d.reason).startsWith("timestamp in the future"));
    }

    @Test
    void absurdlyLongIdsBecomeDeadLetters() throws Exception {
        byte[] bytes = ("{\"eventId\":\"e\",\"type\":\"click\",\"timestamp\":1,\"visitorId\":\"" + "v".repeat(5000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(run(bytes).deadLetters).singleElement()
                .satisfies(d -> assertThat(d.reason).isEqualTo("field 'visitorId' is longer than 128 characters"));
    }

    /** A record too large to keep whole (the broker takes up to 1 MB) still fits the dead-letter topic. */
    @Test
    void aHugeRecordIsKeptAsSizeHashAndExcerpt() throws Exception {
        byte[] bytes = ("{\"eventId\":\"e\",\"pad\":\"" + "x".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(run(bytes).deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason).startsWith("event larger than 32768 bytes");
            assertThat(d.value).isNull();
            assertThat(d.size).isEqualTo(bytes.length);
            assertThat(d.sha256).hasSize(64);
            assertThat(d.excerpt).startsWith("{\"eventId\":\"e\"").hasSizeLessThanOrEqualTo(DeadLetter.EXCERPT_BYTES);
        });
    }

    @Test
    void validEventsPassThrough() throws Exception {
        byte[] bytes = ("{\"eventId\":\"e1\",\"type\":\"page_view\",\"timestamp\":\"2026-11-25T09:00:00+09:00\","
                + "\"visitorId\":\"v1\",\"url\":\"https://shop.example/\",\"unknown\":true}").getBytes(StandardCharsets.UTF_8);
        Result result = run(bytes);
        assertThat(result.deadLetters).isEmpty();
        assertThat(result.events).singleElement().satisfies(e -> {
            assertThat(e.eventId).isEqualTo("e1");
            assertThat(e.timestamp).isEqualTo(1_795_564_800_000L);
        });
    }

    private static Result run(byte[] value) throws Exception {
        List<DecodedRecord> decoded = new ArrayList<>();
        new WebLogDeserializer(new EventContract(SKEW), NOW).deserialize(new ConsumerRecord<>("web-log", 2, 41L, null, value), collector(decoded));

        OneInputStreamOperatorTestHarness<DecodedRecord, WebEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new SplitDeadLetters());
        for (DecodedRecord r : decoded) {
            harness.processElement(r, 0L);
        }
        Result result = new Result();
        result.events = harness.extractOutputValues();
        var side = harness.getSideOutput(SplitDeadLetters.DEAD_LETTERS);
        if (side != null) {
            side.forEach(r -> result.deadLetters.add(((StreamRecord<DeadLetter>) r).getValue()));
        }
        harness.close();
        return result;
    }

    private static Collector<DecodedRecord> collector(List<DecodedRecord> into) {
        return new Collector<>() {
            @Override
            public void collect(DecodedRecord record) {
                into.add(record);
            }

            @Override
            public void close() {}
        };
    }

    private static final class Result {
        List<WebEvent> events;
        final List<DeadLetter> deadLetters = new ArrayList<>();
    }
}
