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
import org.junit.jupiter.params.provider.ValueSource;

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
        "/api/sessions?from=%2B999999999-12-31T23:59:59Z        | from          | between",
        "/api/stats/overview?to=-999999999-01-01T00:00:00Z      | to            | between",
        "/api/pages/top?from=999999999999999                    | from          | between",
        "/api/stats/timeseries?from=0000-01-01&to=9999-12-31&interval=minute | interval | buckets",
        "/api/stats/timeseries?from=0000-01-01&to=9999-12-31&interval=day    | interval | buckets",
        "/api/stats/timeseries?to=0000-01-01                    | to            | after 'from'",
        "/api/sessions?cursor=Wzk5OTk5OTk5OTk5OTk5OTk5OTk5LCJ4Il0 | cursor      | cursor",
        "/api/sessions?cursor=WzEsIlx1ZDgwMCJd                  | cursor        | cursor",
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
    @ValueSource(strings = {
        "/api/stats/timeseries?from=9999-12-31T23:59:59.999Z&interval=minute",
        "/api/stats/timeseries?from=0000-01-01&to=0000-01-02",
        "/api/stats/overview?from=0000-01-01&to=9999-12-31T23:59:59.999Z",
        "/api/sessions?from=0&to=253402300799999&minDurationMs=9223372036854775807",
        "/api/sessions?cursor=WzkyMjMzNzIwMzY4NTQ3NzU4MDcsInMwMSJd",
        "/api/pages/top?from=0000-01-01&to=9999-12-31",
    })
    void extremeButValidRequestsAreAnswered(String path) {
        TestApi.Reply reply = api.get(path);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void aSearchElasticsearchRefusesIsA400WithItsReason(ElasticsearchNode es, KafkaBroker kafka) {
        // No 'start' to sort on: Elasticsearch answers 400, which retrying cannot change.
        SessionFixtures.createIndexWithMappings(es, "validation-refused", "{\"properties\":{\"sessionId\":{\"type\":\"text\"}}}");
        try (TestApi refusing = TestApi.start(es, kafka, "validation-refused", "validation-test-unused")) {
            TestApi.Reply reply = refusing.get("/api/sessions");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).isEqualTo("search_refused");
            assertThat(reply.json().get("message").asText()).startsWith("Elasticsearch refused the search").contains("No mapping found");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/api/sessions?visitorId=%zz | invalid_query",
        "/nothing/here               | not_found",
        "/api/%zz                    | bad_request",
        "/api/pages/top%?from=1      | bad_request",
        "/api/sessions/x%            | bad_request",
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
