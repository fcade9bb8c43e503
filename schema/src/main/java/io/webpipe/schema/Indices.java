package io.webpipe.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.io.UncheckedIOException;

/**
 * Names of the Elasticsearch aliases and their index templates. The job writes and the API
 * reads only through these aliases; the concrete indices behind them are versioned
 * ({@code web-sessions_v1}, ...) so they can be rebuilt and switched without downtime.
 */
public final class Indices {
    /** Read and write alias of the session documents. */
    public static final String SESSIONS = "web-sessions";
    /** Read and write alias of the page catalogue ({@link PageDocument}). */
    public static final String PAGES = "web-pages";

    /** A {@code mapping} char filter under this name gets the rules of {@link Chosung#mappingRules()}. */
    static final String CHOSUNG_CHAR_FILTER = "chosung";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Indices() {}

    /** The first versioned index behind an alias, created when the alias does not exist yet. */
    public static String firstVersion(String alias) {
        return versioned(alias, 1);
    }

    /** The concrete index of one version: {@code web-pages_v3}. */
    public static String versioned(String alias, int version) {
        return alias + "_v" + version;
    }

    /**
     * The index-template body (index_patterns, settings, mappings) for an alias, as plain
     * Elasticsearch JSON. The resource {@code <alias>.template.json} holds everything except the
     * generated rules of the {@code chosung} char filter, which are filled in here.
     */
    public static String template(String alias) {
        String resource = alias + ".template.json";
        try (InputStream in = Indices.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no index template for alias '" + alias + "'");
            }
            JsonNode template = JSON.readTree(in);
            JsonNode chosung = template.at("/settings/analysis/char_filter/" + CHOSUNG_CHAR_FILTER);
            if (chosung.isObject()) {
                ArrayNode rules = ((ObjectNode) chosung).putArray("mappings");
                Chosung.mappingRules().forEach(rules::add);
            }
            return JSON.writeValueAsString(template);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The field paths that {@code templateMappings} (a template's {@code mappings}) maps and {@code indexMappings} (an
     * index's, as {@code GET <index>/_mapping} answers) does not, objects followed: an index that lacks any refuses the
     * documents of this build, the mappings being strict.
     */
    public static List<String> missingFields(JsonNode templateMappings, JsonNode indexMappings) {
        List<String> missing = new ArrayList<>();
        missingFields("", templateMappings, indexMappings, missing);
        return missing;
    }

    private static void missingFields(String prefix, JsonNode template, JsonNode mapping, List<String> missing) {
        template.path("properties").fields().forEachRemaining(field -> {
            JsonNode mapped = mapping.path("properties").path(field.getKey());
            if (mapped.isMissingNode()) {
                missing.add(prefix + field.getKey());
            } else {
                missingFields(prefix + field.getKey() + ".", field.getValue(), mapped, missing);
            }
        });
    }

    /**
     * The painless script that {@code reindex} applies to each copied document of an alias, so that
     * documents written under an older mapping fit the current one; empty when there is none.
     */
    public static Optional<String> migration(String alias) {
        try (InputStream in = Indices.class.getResourceAsStream(alias + ".migrate.painless")) {
            if (in == null) {
                return Optional.empty();
            }
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(script.lines().filter(l -> !l.strip().startsWith("//")).collect(Collectors.joining("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
