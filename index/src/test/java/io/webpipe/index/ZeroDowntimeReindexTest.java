package io.webpipe.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reindex into a new mapping (one more field) and switch, while a writer keeps writing through the
 * alias exactly as the job does (index: {@code version_type=external_gte}, {@code version=updatedAt};
 * delete: external version) and a reader keeps querying the alias. Afterwards the new index holds
 * exactly the writer's last word on every document: none lost, none stale, none resurrected.
 */
@ExtendWith(LocalInfra.class)
class ZeroDowntimeReindexTest {
    private static final int INITIAL_DOCS = 3000;
    private static final int ID_SPACE = 4000;

    @Test
    void reindexAndSwitchWhileTheJobWrites(ElasticsearchNode es) throws Exception {
        String alias = Es.uniqueAlias("zdr");
        try (RestClient client = IndexLifecycle.connect(es.httpUrl(), null, null)) {
            IndexLifecycle v1 = new IndexLifecycle(client, a -> Es.pageTemplateFor(alias), s -> {});
            v1.ensure(alias);
            Writer writer = new Writer(client, alias);
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < INITIAL_DOCS; i++) {
                long version = writer.nextVersion();
                bulk.append("{\"index\":{\"_id\":\"p").append(i).append("\",\"version\":").append(version)
                        .append(",\"version_type\":\"external_gte\"}}\n").append(writer.doc(i, version)).append('\n');
                writer.expected.put("p" + i, version);
            }
            Es.send(client, "POST", "/" + alias + "/_bulk?refresh=true", bulk.toString());

            // The next version's mapping has a new field; the writer uses it once the switch happened.
            String newMapping = Es.pageTemplateFor(alias).replace("\"pageId\":{", "\"category\":{\"type\":\"keyword\"},\"pageId\":{");
            List<String> progress = Collections.synchronizedList(new ArrayList<>());
            IndexLifecycle v2 = new IndexLifecycle(client, a -> newMapping, line -> {
                progress.add(line);
                System.out.println(line);
                if (line.startsWith("(b)")) {
                    letWrite(writer, 30); // a wider window between the first pass and the switch: writes and deletes land in v1 only
                }
            });
            v2.init(alias);

            Reader reader = new Reader(client, alias);
            Thread writing = new Thread(writer, "writer");
            Thread reading = new Thread(reader, "reader");
            writing.start();
            reading.start();
            letWrite(writer, 10);
            v2.reindex(alias, 1, 2);
            letWrite(writer, 10); // the writer sees the switch and writes with the new field
            writer.stop.set(true);
            reader.stop.set(true);
            writing.join();
            reading.join();

            assertThat(writer.errors).as("writer errors").isEmpty();
            assertThat(reader.errors).as("query errors").isEmpty();
            assertThat(reader.queries.get()).isGreaterThan(20);
            assertThat(writer.deletes.get()).as("deletes happened").isGreaterThan(10);
            assertThat(progress).anyMatch(l -> l.startsWith("(c)")).anyMatch(l -> l.contains("100%"));
            assertThat(Es.aliasHolders(client, alias)).containsExactly(alias + "_v2");

            Es.send(client, "POST", "/" + alias + "_v2/_refresh", null);
            Map<String, Long> actual = versions(client, alias + "_v2");
            Map<String, Long> expected = new HashMap<>();
            writer.expected.forEach((id, v) -> {
                if (v > 0) {
                    expected.put(id, v);
                }
            });
            assertThat(actual).as("every live document at its last version, no deleted one").isEqualTo(expected);
            assertThat(Es.send(client, "GET", "/" + alias + "_v2/_count?q=category:new", null).path("count").asLong())
                    .as("writes after the switch use the new field").isPositive();
        }
    }

    private static Map<String, Long> versions(RestClient client, String index) {
        Map<String, Long> versions = new HashMap<>();
        JsonNode page = Es.send(client, "POST", "/" + index + "/_search?scroll=1m",
                "{\"size\":1000,\"_source\":false,\"version\":true,\"sort\":[\"_doc\"]}");
        while (page.path("hits").path("hits").size() > 0) {
            page.path("hits").path("hits").forEach(h -> versions.put(h.path("_id").asText(), h.path("_version").asLong()));
            page = Es.send(client, "POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + page.path("_scroll_id").asText() + "\"}");
        }
        return versions;
    }

    /** Lets the writer make {@code count} more writes (deletes included) before the test goes on. */
    private static void letWrite(Writer writer, int count) {
        int target = writer.writes.get() + count;
        await(count + " more writes").atMost(Duration.ofSeconds(60)).until(() -> writer.writes.get() >= target);
    }

    /** Writes like the job: each write carries updatedAt (epoch ms, strictly increasing here) as its external version. */
    private static final class Writer implements Runnable {
        final Map<String, Long> expected = new ConcurrentHashMap<>(); // id -> last version; negative: deleted at that version
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger deletes = new AtomicInteger();
        /** Writes made so far, deletes included, failed ones too (those are in {@link #errors}). */
        final AtomicInteger writes = new AtomicInteger();
        private final RestClient client;
        private final String alias;
        private long lastVersion;
        private boolean switched;

        Writer(RestClient client, String alias) {
            this.client = client;
            this.alias = alias;
        }

        long nextVersion() {
            lastVersion = Math.max(System.currentTimeMillis(), lastVersion + 1);
            return lastVersion;
        }

        String doc(int i, long version) {
            return "{\"pageId\":\"p" + i + "\",\"url\":\"https://shop.example/p" + i + "\",\"pageTitle\":\"페이지 " + i
                    + "\",\"views\":" + (version % 1000) + ",\"updatedAt\":" + version + (switched ? ",\"category\":\"new\"" : "") + "}";
        }

        @Override
        public void run() {
            Random random = new Random(42);
            while (!stop.get()) {
                int i = random.nextInt(ID_SPACE);
                long version = nextVersion();
                String id = "p" + i;
                try {
                    switched = !Es.aliasHolders(client, alias).contains(alias + "_v1");
                    if (random.nextInt(5) == 0) {
                        Request delete = new Request("DELETE", "/" + alias + "/_doc/" + id + "?version=" + version + "&version_type=external");
                        try {
                            client.performRequest(delete);
                        } catch (ResponseException e) {
                            if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                                throw e;
                            }
                        }
                        expected.put(id, -version);
                        deletes.incrementAndGet();
                    } else {
                        Request index = new Request("PUT", "/" + alias + "/_doc/" + id + "?version=" + version + "&version_type=external_gte");
                        index.setJsonEntity(doc(i, version));
                        client.performRequest(index);
                        expected.put(id, version);
                    }
                } catch (Exception e) {
                    errors.add(id + ": " + e);
                }
                writes.incrementAndGet();
            }
        }
    }

    /** Queries the alias without pause: any failure is a query error a user of the API would have seen. */
    private static final class Reader implements Runnable {
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger queries = new AtomicInteger();
        private final RestClient client;
        private final String alias;

        Reader(RestClient client, String alias) {
            this.client = client;
            this.alias = alias;
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    JsonNode answer = Es.send(client, "POST", "/" + alias + "/_search",
                            "{\"size\":5,\"query\":{\"match\":{\"search_title_nori\":\"페이지\"}}}");
                    if (answer.path("hits").path("total").path("value").asLong() < INITIAL_DOCS / 2) {
                        errors.add("too few hits: " + answer.path("hits").path("total"));
                    }
                    queries.incrementAndGet();
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            }
        }
    }
}
