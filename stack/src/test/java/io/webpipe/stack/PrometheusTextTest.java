package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webpipe.stack.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void readsNamesLabelsAndValuesAndSkipsComments() {
        List<Sample> samples = PrometheusText.parse("""
                # HELP up whether it answers
                # TYPE up gauge
                up 1
                flink_x{host="127_0_0_1",subtask_index="0",} 12.0
                http_bucket{route="/a b",le="+Inf"} 52 1712345678000

                quoted{text="a \\"b\\" \\\\ c\\nd", other = "x" } NaN
                """);

        assertThat(samples).extracting(Sample::name).containsExactly("up", "flink_x", "http_bucket", "quoted");
        assertThat(samples.get(0)).isEqualTo(new Sample("up", Map.of(), 1));
        assertThat(samples.get(1).labels()).containsExactly(Map.entry("host", "127_0_0_1"), Map.entry("subtask_index", "0"));
        assertThat(samples.get(1).value()).isEqualTo(12);
        assertThat(samples.get(2).labels()).containsEntry("le", "+Inf").containsEntry("route", "/a b");
        assertThat(samples.get(2).value()).isEqualTo(52);
        assertThat(samples.get(3).labels()).containsExactly(Map.entry("text", "a \"b\" \\ c\nd"), Map.entry("other", "x"));
        assertThat(samples.get(3).value()).isNaN();
    }

    @Test
    void aLineThatIsNoSampleIsRefusedWithTheLine() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{a=\"1\" 2\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broken{a=\"1\" 2");
    }
}
