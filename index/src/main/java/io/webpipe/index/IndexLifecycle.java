package io.webpipe.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.webpipe.schema.Indices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The versioned indices behind a webpipe alias ({@code web-sessions}, {@code web-pages}): the
 * concrete indices are {@code <alias>_v<N>}, and one alias (read and write, {@code is_write_index})
 * points at exactly one of them. The job writes and the API reads only through the alias, so a
 * rebuilt index can be filled and switched to without either noticing.
 *
 * <p>Zero-downtime {@link #reindex}: the job writes every document with
 * {@code version_type=external_gte} and {@code version = updatedAt} (epoch ms), and deletes with an
 * external version, so each copy below keeps the newest write and never resurrects a delete (the
 * templates keep delete tombstones for {@code index.gc_deletes: 1h}). See {@code index/README.md}.
 */
public final class IndexLifecycle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);
    /** Lets bulk requests that resolved the alias just before the switch land in the old index before the catch-up reads it. */
    static final Duration SWITCH_GRACE = Duration.ofSeconds(2);
    private static final int SWEEP_BATCH = 1000;

    private final RestClient client;
    private final Function<String, String> templates;
    private final Consumer<String> out;

    /** Templates from {@link Indices#template}; progress and results to {@code out}. */
    public IndexLifecycle(RestClient client, Consumer<String> out) {
        this(client, Indices::template, out);
    }

    /** With another source of templates (tests: a changed mapping). */
    public IndexLifecycle(RestClient client, Function<String, String> templates, Consumer<String> out) {
        this.client = client;
        this.templates = templates;
        this.out = out;
    }

    /** {@link ElasticsearchClients#connect} with the client's default timeouts; {@code username} null: no auth. */
    public static RestClient connect(String urls, String username, String password) {
        return ElasticsearchClients.connect(urls, username, password,
                ElasticsearchClients.DEFAULT_CONNECT_TIMEOUT, ElasticsearchClients.DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Makes the alias writable: installs its template if missing or outdated, and creates
     * {@code <alias>_v1} holding the alias (write index) if the alias does not exist. Never moves
     * an existing alias. Safe to call from several starting processes at once.
     */
    public void ensure(String alias) throws IOException {
        ensureTemplate(alias);
        if (!exists("/_alias/" + alias)) {
            String index = Indices.firstVersion(alias);
            try {
                ObjectNode body = JSON.createObjectNode();
                body.putObject("aliases").putObject(alias).put("is_write_index", true);
                send("PUT", "/" + index, JSON.writeValueAsString(body));
                out.accept("created " + index + " with alias " + alias);
            } catch (ResponseException e) {
                if (!e.getMessage().contains("resource_already_exists_exception")) {
                    throw e;
                }
                // Another process won the race, or the index exists without the alias.
                if (!exists("/_alias/" + alias)) {
                    send("POST", "/_aliases", aliasActions(alias, List.of(), index));
                    out.accept("added alias " + alias + " to existing " + index);
                }
            }
        }
    }

    /** {@link #ensure(String)}, retried while Elasticsearch is unreachable, up to {@code wait} (a job starting with the stack). */
    public void ensure(String alias, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                ensure(alias);
                return;
            } catch (ResponseException e) {
                throw e;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Elasticsearch is not reachable: " + e.getMessage(), e);
                }
                out.accept("waiting for Elasticsearch (" + e + ")");
                Thread.sleep(1000);
            }
        }
    }

    /** Creates {@code <name>_v<N+1>} (N = the highest existing version, 0 if none) from the current template, without the alias. */
    public String init(String name) throws IOException {
        ensureTemplate(name);
        int next = versions(name).stream().mapToInt(IndexVersion::version).max().orElse(0) + 1;
        String index = Indices.versioned(name, next);
        send("PUT", "/" + index, "{}");
        out.accept("created " + index + " (alias " + name + " not moved; run: alias " + name + " " + next + ")");
        return index;
    }

    /** Points the alias (reads and writes) at {@code <name>_v<version>} in one atomic {@code _aliases} request. */
    public void alias(String name, int version) throws IOException {
        String target = requireVersion(name, version).index();
        List<String> holders = aliasHolders(name);
        if (holders.equals(List.of(target))) {
            out.accept(name + " already points at " + target);
            return;
        }
        send("POST", "/_aliases", aliasActions(name, holders, target));
        out.accept(name + " -> " + target + (holders.isEmpty() ? "" : " (was " + String.join(", ", holders) + ")"));
    }

    /**
     * Copies {@code <name>_v<from>} into {@code <name>_v<to>} and switches the alias to it while
     * writers keep writing through the alias: (a) a first pass with external versions, (b) the
     * atomic switch, (c) a catch-up pass that keeps whatever is newer, (d) a sweep that deletes in the
     * new index what was deleted in the old one between (a) and (b).
     */
    public void reindex(String name, int from, int to) throws IOException, InterruptedException {
        if (from == to) {
            throw new IndexLifecycleException("--from and --to are the same version " + from);
        }
        String source = requireVersion(name, from).index();
        String dest = requireVersion(name, to).index();
        List<String> holders = aliasHolders(name);
        if (!holders.equals(List.of(source))) {
            throw new IndexLifecycleException("alias " + name + " points at " + (holders.isEmpty() ? "nothing" : String.join(", ", holders))
                    + ", not at " + source + "; reindex copies from the index the writers use");
        }

        out.accept("(a) first pass " + source + " -> " + dest);
        copy(source, dest);
        send("POST", "/" + dest + "/_refresh", null);
        Map<Integer, Long> firstPassSeqNo = maxSeqNoPerShard(dest);

        out.accept("(b) switching " + name + " to " + dest);
        send("POST", "/_aliases", aliasActions(name, holders, dest));
        Thread.sleep(SWITCH_GRACE.toMillis());
        send("POST", "/" + source + "/_refresh", null);

        out.accept("(c) catch-up pass " + source + " -> " + dest + " (newer documents in " + dest + " are kept)");
        copy(source, dest);

        out.accept("(d) removing documents deleted from " + source + " during the first pass");
        long removed = sweepDeleted(source, dest, firstPassSeqNo);
        send("POST", "/" + dest + "/_refresh", null);
        out.accept("done: " + name + " -> " + dest + " (" + removed + " deleted during the copy; " + source + " kept, delete it when no longer needed)");
    }

    /**
     * Brings the alias's index up to the current template when its mapping lacks a field the template maps (the
     * mappings are strict: a writer's new field would be refused): a new version (or a newer one without the alias
     * that an interrupted upgrade left, if it maps every field), then {@link #reindex} into it with the alias's
     * migration. Nothing when the alias does not exist yet or its index maps every field. Returns the missing fields
     * (empty: nothing done).
     */
    public List<String> upgrade(String name) throws IOException, InterruptedException {
        ensureTemplate(name);
        List<String> holders = aliasHolders(name);
        if (holders.isEmpty()) {
            return List.of(); // ensure creates it from the current template
        }
        if (holders.size() > 1 || versionOf(holders.get(0)) < 1 || !aliasOf(holders.get(0)).equals(name)) {
            throw new IndexLifecycleException("alias " + name + " points at " + String.join(", ", holders)
                    + ", not at one version " + name + "_v<N>: move it by hand (alias " + name + " <version>), then upgrade");
        }
        String current = holders.get(0);
        JsonNode template = JSON.readTree(templates.apply(name)).path("mappings");
        List<String> missing = missingFields(template, current);
        if (missing.isEmpty()) {
            return missing;
        }
        out.accept(current + " lacks " + String.join(", ", missing) + " of the current template: migrating to a newer version");
        int from = versionOf(current);
        Optional<IndexVersion> newest = versions(name).stream().max(Comparator.comparingInt(IndexVersion::version));
        String target = newest.isPresent() && newest.get().version() > from && missingFields(template, newest.get().index()).isEmpty()
                ? newest.get().index()
                : init(name);
        reindex(name, from, versionOf(target));
        return missing;
    }

    /** {@link Indices#missingFields} of {@code index}. */
    private List<String> missingFields(JsonNode template, String index) throws IOException {
        return Indices.missingFields(template, get("/" + index + "/_mapping").path(index).path("mappings"));
    }

    /** Every versioned index of {@code name} (all aliases when null), by name and version. */
    public List<IndexVersion> list(String name) throws IOException {
        String pattern = name == null ? "*_v*" : name + "_v*";
        JsonNode indices = get("/_cat/indices/" + pattern + "?format=json&h=index,docs.count&expand_wildcards=open");
        Map<String, JsonNode> aliases = new HashMap<>();
        get("/_cat/aliases?format=json&h=alias,index,is_write_index").forEach(a -> {
            if (a.path("index").asText().equals(Indices.versioned(a.path("alias").asText(), versionOf(a.path("index").asText())))) {
                aliases.put(a.path("index").asText(), a);
            }
        });
        List<IndexVersion> versions = new ArrayList<>();
        Pattern versioned = Pattern.compile("(.+)_v(\\d{1,9})");
        for (JsonNode i : indices) {
            Matcher m = versioned.matcher(i.path("index").asText());
            if (m.matches() && (name == null || m.group(1).equals(name))) {
                JsonNode alias = aliases.get(m.group());
                versions.add(new IndexVersion(m.group(1), Integer.parseInt(m.group(2)), m.group(), i.path("docs.count").asLong(),
                        alias != null, alias != null && !"false".equals(alias.path("is_write_index").asText())));
            }
        }
        versions.sort(Comparator.comparing(IndexVersion::name).thenComparingInt(IndexVersion::version));
        return versions;
    }

    // --- steps ---

    /** Installs the template when missing or when its content changed (its {@code version} is a checksum of the content). */
    private void ensureTemplate(String alias) throws IOException {
        String body = templates.apply(alias);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        int version = (int) (crc.getValue() & 0x7fffffff);
        JsonNode installed = exists("/_template/" + alias) ? get("/_template/" + alias).path(alias) : null;
        if (installed != null && installed.path("version").asInt(-1) == version) {
            return;
        }
        ObjectNode template = (ObjectNode) JSON.readTree(body);
        template.put("version", version);
        send("PUT", "/_template/" + alias, JSON.writeValueAsString(template));
        out.accept((installed == null ? "installed" : "updated") + " index template " + alias);
    }

    private IndexVersion requireVersion(String name, int version) throws IOException {
        List<IndexVersion> versions = versions(name);
        return versions.stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new IndexLifecycleException("unknown version " + version + " of " + name + "; existing: "
                        + (versions.isEmpty() ? "none" : versions.stream().map(IndexVersion::index).toList())));
    }

    private List<IndexVersion> versions(String name) throws IOException {
        return list(name);
    }

    List<String> aliasHolders(String alias) throws IOException {
        if (!exists("/_alias/" + alias)) {
            return List.of();
        }
        List<String> holders = new ArrayList<>();
        get("/_alias/" + alias).fieldNames().forEachRemaining(holders::add);
        holders.sort(null);
        return holders;
    }

    static String aliasActions(String alias, List<String> removeFrom, String addTo) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode actions = body.putArray("actions");
        for (String index : removeFrom) {
            if (!index.equals(addTo)) {
                actions.addObject().putObject("remove").put("index", index).put("alias", alias);
            }
        }
        actions.addObject().putObject("add").put("index", addTo).put("alias", alias).put("is_write_index", true);
        return JSON.writeValueAsString(body);
    }

    /** One {@code _reindex} pass that keeps the newer of two versions of a document, with progress output. */
    private void copy(String source, String dest) throws IOException, InterruptedException {
        copy(source, dest, null);
    }

    /** {@link #copy(String, String)} of the documents of {@code source} that match {@code query} (all when null). */
    void copy(String source, String dest, JsonNode query) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("conflicts", "proceed");
        ObjectNode from = body.putObject("source").put("index", source).put("size", 1000);
        if (query != null) {
            from.set("query", query);
        }
        body.putObject("dest").put("index", dest).put("version_type", "external");
        Indices.migration(aliasOf(source)).ifPresent(script -> body.putObject("script").put("lang", "painless").put("source", script));
        String task = send("POST", "/_reindex?wait_for_completion=false", JSON.writeValueAsString(body)).path("task").asText();
        String last = "";
        while (true) {
            JsonNode state = get("/_tasks/" + task);
            JsonNode status = state.path("task").path("status");
            long total = status.path("total").asLong();
            long done = status.path("created").asLong() + status.path("updated").asLong() + status.path("version_conflicts").asLong();
            String line = String.format("  %s -> %s: %3d%% (%d/%d documents; %d created, %d updated, %d already current in %s)", source, dest,
                    total == 0 ? 100 : done * 100 / total, done, total, status.path("created").asLong(),
                    status.path("updated").asLong(), status.path("version_conflicts").asLong(), dest);
            boolean started = total > 0 || state.path("completed").asBoolean();
            if (started && !line.equals(last)) {
                out.accept(line);
                last = line;
            }
            if (state.path("completed").asBoolean()) {
                JsonNode failures = state.path("response").path("failures");
                if (state.has("error") || failures.size() > 0) {
                    throw new IndexLifecycleException("reindex " + source + " -> " + dest + " failed: "
                            + (state.has("error") ? state.path("error") : failures.get(0)));
                }
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private Map<Integer, Long> maxSeqNoPerShard(String index) throws IOException {
        Map<Integer, Long> max = new HashMap<>();
        get("/" + index + "/_stats/docs?level=shards").path("indices").path(index).path("shards").fields().forEachRemaining(shard -> {
            for (JsonNode copy : shard.getValue()) {
                if (copy.path("routing").path("primary").asBoolean()) {
                    max.put(Integer.parseInt(shard.getKey()), copy.path("seq_no").path("max_seq_no").asLong());
                }
            }
        });
        return max;
    }

    /**
     * Deletes from {@code dest} each document that the first pass copied (its last write has a
     * sequence number up to that pass's end) and that {@code source} no longer holds: it was deleted
     * between the first pass and the switch. Conditional on the sequence number, so a writer's newer
     * write always wins.
     */
    private long sweepDeleted(String source, String dest, Map<Integer, Long> firstPassSeqNo) throws IOException {
        long removed = 0;
        for (Map.Entry<Integer, Long> shard : firstPassSeqNo.entrySet()) {
            ObjectNode query = JSON.createObjectNode().put("size", SWEEP_BATCH).put("_source", false).put("seq_no_primary_term", true);
            query.putObject("query").putObject("range").putObject("_seq_no").put("lte", shard.getValue());
            query.putArray("sort").add("_doc");
            JsonNode page = send("POST", "/" + dest + "/_search?scroll=1m&preference=_shards:" + shard.getKey(), JSON.writeValueAsString(query));
            try {
                while (page.path("hits").path("hits").size() > 0) {
                    removed += deleteMissing(source, dest, page.path("hits").path("hits"));
                    page = send("POST", "/_search/scroll",
                            JSON.writeValueAsString(scroll(page).put("scroll", "1m")));
                }
            } finally {
                send("DELETE", "/_search/scroll", JSON.writeValueAsString(scroll(page)));
            }
        }
        return removed;
    }

    /** The body that names the scroll of a search answer. */
    private static ObjectNode scroll(JsonNode page) {
        return JSON.createObjectNode().put("scroll_id", page.path("_scroll_id").asText());
    }

    private long deleteMissing(String source, String dest, JsonNode hits) throws IOException {
        ObjectNode ids = JSON.createObjectNode();
        ArrayNode idList = ids.putArray("ids");
        hits.forEach(h -> idList.add(h.path("_id").asText()));
        JsonNode found = send("POST", "/" + source + "/_mget?_source=false", JSON.writeValueAsString(ids)).path("docs");
        long removed = 0;
        for (int i = 0; i < hits.size(); i++) {
            if (found.get(i).path("found").asBoolean()) {
                continue;
            }
            JsonNode hit = hits.get(i);
            try {
                send("DELETE", "/" + dest + "/_doc/" + encode(hit.path("_id").asText()) + "?if_seq_no=" + hit.path("_seq_no").asLong()
                        + "&if_primary_term=" + hit.path("_primary_term").asLong(), null);
                removed++;
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() != 409) {
                    throw e;
                }
                // A writer changed it after the switch: its write is the newer truth.
            }
        }
        return removed;
    }

    // --- HTTP ---

    private static int versionOf(String index) {
        int at = index.lastIndexOf("_v");
        try {
            return at < 0 ? -1 : Integer.parseInt(index.substring(at + 2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String aliasOf(String index) {
        return index.substring(0, index.lastIndexOf("_v"));
    }

    static String encode(String id) {
        return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private boolean exists(String path) throws IOException {
        try {
            return client.performRequest(new Request("HEAD", path)).getStatusLine().getStatusCode() == 200;
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    JsonNode get(String path) throws IOException {
        return send("GET", path, null);
    }

    JsonNode send(String method, String path, String json) throws IOException {
        Request request = new Request(method, path);
        if (json != null) {
            request.setJsonEntity(json);
        }
        Response response = client.performRequest(request);
        return response.getEntity() == null ? JSON.createObjectNode() : JSON.readTree(EntityUtils.toString(response.getEntity()));
    }
}
