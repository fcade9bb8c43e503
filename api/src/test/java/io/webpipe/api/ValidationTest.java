package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.KafkaBroker;
import io.webpipe.local.LocalInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of bad request parameter is a 400 whose JSON body names the parameter; never a 5xx. */
@ExtendWith(LocalInfra.class)
class ValidationTest {
    private static TestApi api;

    @BeforeAll
    static void start(ElasticsearchNode es, KafkaBroker kafka) {
        SessionFixtures.createIndex(es, "validation-test");
        api = TestApi.start(es, kafka, "validation-test", "validation-test-unused");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/sessions?size=0                                   | size          | between 1 and 500",
        "/api/sessions?size=501                                 | size          | between 1 and 500",
        "/api/sessions?size=ten                                 | size          | must be an integer",
        "/api/sessions?size=1&size=2                            | size          | more than once",
        "/api/sessions?from=yesterday                           | from          | ISO-8601",
        "/api/sessions?to=2026-13-01                            | to            | ISO-8601",
        "/api/sessions?from=2026-11-25T09:00:00                 | from          | ISO-8601",
        "/api/sessions?from=2026-11-02&to=2026-11-01            | to            | after 'from'",
        "/api/sessions?minDurationMs=-1                         | minDurationMs | non-negative",
        "/api/sessions?minDurationMs=long                       | minDurationMs | non-negative",
        "/api/sessions?bounce=maybe                             | bounce        | true or false",
        "/api/sessions?cursor=not-a-cursor                      | cursor        | cursor",
        "/api/sessions?cursor=WzEsMl0                           | cursor        | cursor",
        "/api/sessions?cursor=eyJhIjoxfQ                        | cursor        | cursor",
        "/api/sessions?visitorid=v1                             | visitorid     | unknown parameter",
        "/api/sessions/s1?size=3                                | size          | unknown parameter",
        "/api/visitors/v1/sessions?visitorId=v2                 | visitorId     | unknown parameter",
        "/api/visitors/v1/sessions?size=9999                    | size          | between 1 and 500",
        "/api/stats/overview?from=soon                          | from          | ISO-8601",
        "/api/stats/overview?interval=day                       | interval      | unknown parameter",
        "/api/stats/timeseries?interval=week                    | interval      | [day, hour, minute]",
        "/api/stats/timeseries?interval=minute&from=2020-01-01&to=2026-01-01 | interval | buckets",
        "/api/stats/timeseries?from=2026-01-02&to=2026-01-01    | to            | after 'from'",
        "/api/stats/top                                         | dimension     | required",
        "/api/stats/top?dimension=password                      | dimension     | one of",
        "/api/stats/top?dimension=browser&limit=0               | limit         | between 1 and 100",
        "/api/stats/top?dimension=browser&limit=101             | limit         | between 1 and 100",
        "/api/stats/top?dimension=browser&to=x                  | to            | ISO-8601",
    })
    void badParametersAreA400NamingTheField(String path, String field, String message) {
        TestApi.Reply reply = api.get(path);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        JsonNode body = reply.json();
        assertThat(body.get("error").asText()).isEqualTo("invalid_parameter");
        assertThat(body.get("field").asText()).isEqualTo(field);
        assertThat(body.get("message").asText()).contains(field).contains(message);
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/sessions?visitorId=%zz | invalid_query",
        "/nothing/here               | not_found",
        "/api/%zz                    | bad_request",
    })
    void otherBadRequestsAreJsonToo(String path, String error) {
        TestApi.Reply reply = api.raw("GET", path);
        assertThat(reply.status()).isBetween(400, 499);
        assertThat(reply.json().get("error").asText()).isEqualTo(error);
        assertThat(reply.json().get("message").asText()).isNotBlank();
    }

    @Test
    void answersDoNotNameTheServerSoftware() {
        assertThat(api.get("/api/sessions").headers().firstValue("Server")).isEmpty();
        assertThat(api.get("/nothing").headers().firstValue("Server")).isEmpty();
    }
}
