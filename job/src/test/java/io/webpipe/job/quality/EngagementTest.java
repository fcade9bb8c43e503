package io.webpipe.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.JobConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngagementTest {
    private static final Engagement DEFAULTS = new Engagement(JobConfig.load(Map.of()).conversionTypes);

    @Test
    void longerThanTenSecondsIsEngaged() {
        assertThat(DEFAULTS.engaged(10_000, 1, List.of("page_view"))).as("exactly 10 s").isFalse();
        assertThat(DEFAULTS.engaged(10_001, 1, List.of("page_view"))).isTrue();
        assertThat(DEFAULTS.engaged(10_001, 0, List.of("click"))).isTrue();
    }

    @Test
    void twoPageViewsAreEngaged() {
        assertThat(DEFAULTS.engaged(0, 2, List.of("page_view"))).isTrue();
        assertThat(DEFAULTS.engaged(0, 1, List.of("page_view", "click"))).isFalse();
    }

    @Test
    void aConversionIsEngagedWithTheConfiguredTypes() {
        assertThat(DEFAULTS.engaged(0, 1, List.of("page_view", "purchase"))).isTrue();
        assertThat(DEFAULTS.engaged(0, 0, List.of("sign_up"))).isTrue();
        assertThat(DEFAULTS.engaged(0, 0, List.of("generate_lead"))).isTrue();
        assertThat(DEFAULTS.engaged(0, 1, List.of("add_to_cart"))).isFalse();

        JobConfig custom = JobConfig.load(Map.of(), "--session.conversion-types", " add_to_cart , subscribe ");
        assertThat(custom.conversionTypes).containsExactly("add_to_cart", "subscribe");
        Engagement engagement = new Engagement(custom.conversionTypes);
        assertThat(engagement.engaged(0, 1, List.of("add_to_cart"))).isTrue();
        assertThat(engagement.engaged(0, 1, List.of("purchase"))).isFalse();
    }
}
