package io.webpipe.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.schema.Indices;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The index steps of {@code ./webpipe index rebuild web-sessions} around the job's bounded run over the log
 * ({@code RebuildJob} in the job module), while the live job keeps writing through the alias:
 * <ol>
 *   <li>{@link #createVersion}: {@code web-sessions_v<N+1>} from the current template, without the alias;</li>
 *   <li>(the job writes every session the log retains into it, with versions as of {@code since}, a moment before
 *       it read the end offsets: so any write of the live job since then is newer than a rebuilt document);</li>
 *   <li>{@link #switchToRebuilt}: the atomic alias switch; then the catch-up copy of what the live job wrote to the
 *       old index since {@code since} (external versions: the newer write of each document stays); then the rebuilt
 *       sessions that such a write merged into another session (the live job deleted them in the old index) are
 *       deleted from the new one.</li>
 * </ol>
 * Sessions of the old index that the log no longer retains are not carried over; the old index is kept.
 */
public final class IndexRebuild {
    private static final ObjectMapper JSON = new ObjectMapper();
    // Field names of io.webpipe.schema.SessionDocument.
    private static final String VISITOR_ID = "visitorId";
    private static final String START = "start";
    private static final String END = "end";
    private static final String UPDATED_AT = "updatedAt";
    private static final int BATCH = 1000;

    private final IndexLifecycle lifecycle;
    private final Consumer<String> out;

    /** Templates from {@link Indices#template}; progress and results to {@code out}. */
    public IndexRebuild(RestClient client, Consumer<String> out) {
        this(client, Indices::template, out);
    }

    /** With another source of templates (tests: the session template under an alias of their own). */
    public IndexRebuild(RestClient client, Function<String, String> templates, Consumer<String> out) {
        this.lifecycle = new IndexLifecycle(client, templates, out);
        this.out = out;
    }

    /** What the switch did: the index the alias left, documents deleted as merged by the live job, documents in the new index. */
    public record Switched(String previous, long merged, long documents) {}

    /** Creates {@code <name>_v<N+1>} (the alias stays where it is and must be on exactly one index); returns N+1. */
    public int createVersion(String name) throws IOException {
        liveIndex(name);
        String index = lifecycle.init(name);
        return Integer.parseInt(index.substring(index.lastIndexOf("_v") + 2));
    }

    /** Documents in {@code index} now (after a refresh). */
    public long count(String index) throws IOException {
        lifecycle.send("POST", "/" + index + "/_refresh", null);
        return lifecycle.get("/" + index + "/_count").path("count").asLong();
    }

    /**
     * Moves the alias {@code name} to {@code <name>_v<version>}, copies what the writers wrote to the previous index
     * since {@code since} (keeping the newer version of each document) and deletes the rebuilt sessions that those
     * writes merged into another session.
     */
    public Switched switchToRebuilt(String name, int version, Instant since) throws IOException, InterruptedException {
        String rebuilt = Indices.versioned(name, version);
        String previous = liveIndex(name);
        if (previous.equals(rebuilt)) {
            throw new IndexLifecycleException(name + " already points at " + rebuilt);
        }
        out.accept("switching " + name + " to " + rebuilt);
        lifecycle.send("POST", "/_aliases", IndexLifecycle.aliasActions(name, List.of(previous), rebuilt));
        // Bulk requests that resolved the alias just before the switch land in the previous index first.
        Thread.sleep(IndexLifecycle.SWITCH_GRACE.toMillis());
        lifecycle.send("POST", "/" + previous + "/_refresh", null);

        ObjectNode writtenSince = JSON.createObjectNode();
        writtenSince.putObject("range").putObject(UPDATED_AT).put("gte", since.toEpochMilli());
        out.accept("catch-up: what the live job wrote to " + previous + " since " + since + " (newer versions win)");
        lifecycle.copy(previous, rebuilt, writtenSince);
        long merged = deleteMerged(previous, rebuilt, writtenSince);
        return new Switched(previous, merged, count(rebuilt));
    }

    /** The one index the alias is on: the live job's, which the rebuild catches up from. */
    private String liveIndex(String name) throws IOException {
        List<String> holders = lifecycle.aliasHolders(name);
        if (holders.size() != 1) {
            throw new IndexLifecycleException("alias " + name + " points at " + (holders.isEmpty() ? "nothing" : holders)
                    + "; a rebuild needs it on the one index the live job writes (./webpipe index list " + name + ")");
        }
        return holders.get(0);
    }

    /**
     * A late event that bridges two sessions makes the live job write the merged session and delete the ones it
     * covers. Deletes that reached the previous index before the switch are not copied, so each session of a
     * visitor that lies within a session written since the rebuild began, under another id, is deleted here: the
     * live job holds at most one session per stretch of a visitor's time.
     */
    private long deleteMerged(String previous, String rebuilt, JsonNode writtenSince) throws IOException {
        ObjectNode search = JSON.createObjectNode().put("size", BATCH);
        search.putArray("_source").add(VISITOR_ID).add(START).add(END);
        search.set("query", writtenSince);
        search.putArray("sort").add("_doc");
        JsonNode page = lifecycle.send("POST", "/" + previous + "/_search?scroll=1m", JSON.writeValueAsString(search));
        long deleted = 0;
        try {
            while (page.path("hits").path("hits").size() > 0) {
                for (JsonNode session : page.path("hits").path("hits")) {
                    deleted += deleteCovered(rebuilt, session);
                }
                page = lifecycle.send("POST", "/_search/scroll", JSON.writeValueAsString(scroll(page).put("scroll", "1m")));
            }
        } finally {
            lifecycle.send("DELETE", "/_search/scroll", JSON.writeValueAsString(scroll(page)));
        }
        return deleted;
    }

    private long deleteCovered(String rebuilt, JsonNode session) throws IOException {
        JsonNode source = session.path("_source");
        ObjectNode search = JSON.createObjectNode().put("size", BATCH).put("_source", false).put("seq_no_primary_term", true);
        ObjectNode bool = search.putObject("query").putObject("bool");
        bool.putArray("filter")
                .add(JSON.createObjectNode().set("term", JSON.createObjectNode().put(VISITOR_ID, source.path(VISITOR_ID).asText())))
                .add(JSON.createObjectNode().set("range", JSON.createObjectNode().set(START,
                        JSON.createObjectNode().put("gte", source.path(START).asText()))))
                .add(JSON.createObjectNode().set("range", JSON.createObjectNode().set(END,
                        JSON.createObjectNode().put("lte", source.path(END).asText()))));
        bool.putObject("must_not").putObject("ids").putArray("values").add(session.path("_id").asText());
        long deleted = 0;
        for (JsonNode covered : lifecycle.send("POST", "/" + rebuilt + "/_search", JSON.writeValueAsString(search)).path("hits").path("hits")) {
            try {
                lifecycle.send("DELETE", "/" + rebuilt + "/_doc/" + IndexLifecycle.encode(covered.path("_id").asText())
                        + "?if_seq_no=" + covered.path("_seq_no").asLong() + "&if_primary_term=" + covered.path("_primary_term").asLong(), null);
                deleted++;
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() != 409) {
                    throw e;
                }
                // Written again since the search: the writer's newer version stands.
            }
        }
        return deleted;
    }

    private static ObjectNode scroll(JsonNode page) {
        return JSON.createObjectNode().put("scroll_id", page.path("_scroll_id").asText());
    }
}
