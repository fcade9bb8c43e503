package io.webpipe.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.index.IndexLifecycle;
import io.webpipe.job.sink.DocumentWrite;
import io.webpipe.job.sink.RefusedWrites;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's Elasticsearch sink on a real node: writes carry external versions, an older write than
 * the document's version is refused by Elasticsearch (409) and counts as superseded without failing
 * the job, a newer one wins, and a delete older than the document leaves it.
 */
@ExtendWith(LocalInfra.class)
class VersionedWritesTest {
    private static final String INDEX = "versioned-writes-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @Test
    void anOlderWriteIsSupersededAndDoesNotFailTheJob(ElasticsearchNode es) throws Exception {
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            send(client, "PUT", "/" + INDEX + "/_doc/kept?version_type=external&version=5000", "{\"v\":\"newest\"}");
            send(client, "PUT", "/" + INDEX + "/_doc/replaced?version_type=external&version=5000", "{\"v\":\"old\"}");
            send(client, "PUT", "/" + INDEX + "/_doc/deleted?version_type=external&version=5000", "{\"v\":\"old\"}");
            long supersededBefore = RefusedWrites.SUPERSEDED.get();

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromData(List.of(
                            DocumentWrite.upsert(INDEX, "kept", "{\"v\":\"stale\"}", 4000),
                            DocumentWrite.delete(INDEX, "kept", 4999),
                            DocumentWrite.upsert(INDEX, "replaced", "{\"v\":\"new\"}", 6000),
                            DocumentWrite.delete(INDEX, "deleted", 7000)),
                            TypeInformation.of(DocumentWrite.class))
                    .sinkTo(Connectors.elasticsearchSink(JobConfig.load(Map.of(), "--elasticsearch.url", es.httpUrl())))
                    .name("elasticsearch " + INDEX);
            env.execute("versioned writes");

            assertThat(RefusedWrites.SUPERSEDED.get() - supersededBefore).isEqualTo(2);
            JsonNode kept = get(client, "kept");
            assertThat(kept.path("_source").path("v").asText()).isEqualTo("newest");
            assertThat(kept.path("_version").asLong()).isEqualTo(5000);
            JsonNode replaced = get(client, "replaced");
            assertThat(replaced.path("_source").path("v").asText()).isEqualTo("new");
            assertThat(replaced.path("_version").asLong()).isEqualTo(6000);
            assertThat(get(client, "deleted").path("found").asBoolean()).isFalse();
        }
    }

    private static JsonNode get(RestClient client, String id) throws Exception {
        try {
            return JSON.readTree(client.performRequest(new Request("GET", "/" + INDEX + "/_doc/" + id)).getEntity().getContent());
        } catch (ResponseException e) {
            return JSON.readTree(e.getResponse().getEntity().getContent());
        }
    }

    private static void send(RestClient client, String method, String path, String json) throws Exception {
        Request request = new Request(method, path);
        request.setJsonEntity(json);
        client.performRequest(request);
    }
}
