package io.webpipe.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The index steps of {@code index rebuild} ({@link IndexRebuild}) on the real node, with the documents the live job
 * and the rebuild would write (external versions = {@code updatedAt}): the new version, the switch, the catch-up of
 * the live job's writes since the rebuild began, the rebuilt sessions the live job merged away.
 */
@ExtendWith(LocalInfra.class)
class IndexRebuildTest {
    private static final Instant SINCE = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant BEFORE = SINCE.minusSeconds(600);
    private static final Instant AFTER = SINCE.plusSeconds(30);

    private final String alias = Es.uniqueAlias("rebuild");
    private final List<String> output = new ArrayList<>();
    private RestClient client;
    private Function<String, String> templates;
    private IndexRebuild rebuild;

    @BeforeEach
    void connect(ElasticsearchNode es) {
        client = IndexLifecycle.connect(es.httpUrl(), null, null);
        // The session template re-targeted at alias_v* (the real one matches only web-sessions_v*).
        String template = Indices.template(Indices.SESSIONS).replace("\"" + Indices.SESSIONS + "_v*\"", "\"" + alias + "_v*\"");
        templates = a -> template;
        rebuild = new IndexRebuild(client, templates, output::add);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    @Test
    void theSwitchKeepsTheRebuildAndCatchesUpWithTheLiveJob() throws Exception {
        new IndexLifecycle(client, templates, output::add).ensure(alias);
        String live = alias + "_v1";
        // What the live job wrote before the rebuild began ...
        write(live, "a1", "a", "10:00", "10:05", 3, BEFORE);
        write(live, "b1", "b", "10:00", "10:05", 4, BEFORE);
        write(live, "c1", "c", "10:00", "10:01", 2, BEFORE);
        write(live, "c2", "c", "10:03", "10:04", 2, BEFORE);
        write(live, "old", "d", "2026-11-01T10:00", "2026-11-01T10:01", 1, BEFORE.minusSeconds(86_400 * 30));

        int version = rebuild.createVersion(alias);
        assertThat(version).isEqualTo(2);
        String rebuilt = alias + "_v2";
        assertThat(Es.aliasHolders(client, alias)).containsExactly(live);
        // ... what the rebuild wrote from the log (versions as of SINCE; "old" is no longer in the log) ...
        write(rebuilt, "a1", "a", "10:00", "10:05", 3, SINCE);
        write(rebuilt, "b1", "b", "10:00", "10:05", 4, SINCE);
        write(rebuilt, "c1", "c", "10:00", "10:01", 2, SINCE);
        write(rebuilt, "c2", "c", "10:03", "10:04", 2, SINCE);
        // ... and the live job meanwhile: b1 got an event, a late event merged c2 into c1, a new visitor came.
        write(live, "b1", "b", "10:00", "10:06", 5, AFTER);
        write(live, "c1", "c", "10:00", "10:04", 5, AFTER);
        Es.send(client, "DELETE", "/" + live + "/_doc/c2?version_type=external&version=" + AFTER.toEpochMilli(), null);
        write(live, "e1", "e", "10:10", "10:11", 1, AFTER);
        Es.send(client, "POST", "/" + live + "/_refresh", null);

        IndexRebuild.Switched switched = rebuild.switchToRebuilt(alias, version, SINCE);

        assertThat(Es.aliasHolders(client, alias)).containsExactly(rebuilt);
        assertThat(switched.previous()).isEqualTo(live);
        assertThat(switched.merged()).isEqualTo(1);
        assertThat(eventCounts(rebuilt)).isEqualTo(Map.of("a1", 3, "b1", 5, "c1", 5, "e1", 1));
        assertThat(switched.documents()).isEqualTo(4);
        assertThat(Es.send(client, "GET", "/" + rebuilt + "/_doc/b1", null).path("_version").asLong())
                .as("the copy keeps the live job's version").isEqualTo(AFTER.toEpochMilli());
        assertThat(output).anyMatch(line -> line.startsWith("switching " + alias + " to " + rebuilt));
    }

    @Test
    void aRebuildNeedsTheAliasOnTheLiveIndex() {
        assertThatThrownBy(() -> rebuild.createVersion(alias))
                .isInstanceOf(IndexLifecycleException.class)
                .hasMessageContaining("alias " + alias + " points at nothing");
    }

    private void write(String index, String id, String visitor, String start, String end, int events, Instant updatedAt) {
        String json = String.format("{\"sessionId\":\"%s\",\"visitorId\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"eventCount\":%d,"
                + "\"updatedAt\":\"%s\"}", id, visitor, day(start), day(end), events, updatedAt);
        Es.send(client, "PUT", "/" + index + "/_doc/" + id + "?version_type=external_gte&version=" + updatedAt.toEpochMilli(), json);
    }

    /** {@code 10:00} on the test's day, or a full date-time as given. */
    private static String day(String time) {
        return (time.length() == 5 ? "2026-12-01T" + time : time) + ":00Z";
    }

    private Map<String, Integer> eventCounts(String index) {
        Es.send(client, "POST", "/" + index + "/_refresh", null);
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonNode hit : Es.send(client, "GET", "/" + index + "/_search?size=100", null).path("hits").path("hits")) {
            counts.put(hit.path("_id").asText(), hit.path("_source").path("eventCount").asInt());
        }
        return counts;
    }
}
