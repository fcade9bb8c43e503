package io.webpipe.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlCredentialsTest {

    @Test
    void masksThePasswordAndKeepsTheUser() {
        assertThat(UrlCredentials.mask("Elasticsearch on http://elastic:s3cret@es.internal:9200/web-sessions"))
                .isEqualTo("Elasticsearch on http://elastic:******@es.internal:9200/web-sessions");
    }

    @Test
    void masksAUserPartWithoutPasswordWhollyBecauseItIsOftenAToken() {
        assertThat(UrlCredentials.mask("https://ghp_abc123@example.com/x")).isEqualTo("https://******@example.com/x");
    }

    @Test
    void masksEveryUrlOfALineAndAPasswordHoldingAnAt() {
        assertThat(UrlCredentials.mask("--elasticsearch.url http://u:p@ss@a:9200,https://v:q@b:9200 and http://c:9200"))
                .isEqualTo("--elasticsearch.url http://u:******@a:9200,https://v:******@b:9200 and http://c:9200");
    }

    @Test
    void leavesUrlsWithoutCredentialsAndOtherAtSignsAlone() {
        String text = "http://localhost:8081/jobs/overview, mail ops@example.com, kafka localhost:9092, "
                + "https://shop.example/p?ref=a@b";
        assertThat(UrlCredentials.mask(text)).isEqualTo(text);
    }
}
