package io.webpipe.job.source;

import java.util.List;
import java.util.Map;

/**
 * The kind of a dead letter's reason, as a metric label: a handful of fixed values, whatever the reason
 * text holds (it quotes the input at times, so it must never become a label itself).
 */
public final class DeadLetterKind {
    public static final String OTHER = "other";

    /** Reason prefixes (or fragments) and their kind, first match wins. */
    private static final List<Map.Entry<String, String>> KINDS = List.of(
            Map.entry("empty record", "not_json"),
            Map.entry("not JSON", "not_json"),
            Map.entry("not a JSON object", "not_json"),
            Map.entry("missing required field", "missing_field"),
            Map.entry("must be a string", "wrong_type"),
            Map.entry("must be an object", "wrong_type"),
            Map.entry("is longer than", "too_long"),
            Map.entry("contains a control character", "too_long"),
            Map.entry("has more than", "too_long"),
            Map.entry("timestamp", "time_range"),
            Map.entry("event larger than", "too_large"));

    private DeadLetterKind() {}

    public static String of(String reason) {
        if (reason == null) {
            return OTHER;
        }
        for (Map.Entry<String, String> kind : KINDS) {
            if (reason.startsWith(kind.getKey()) || reason.contains(kind.getKey())) {
                return kind.getValue();
            }
        }
        return OTHER;
    }
}
