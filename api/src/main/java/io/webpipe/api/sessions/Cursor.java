package io.webpipe.api.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque paging cursor: the {@code search_after} values (session start in epoch milliseconds,
 * sessionId) of the last session of a page, as base64url JSON. Anything else is a 400.
 */
final class Cursor {
    static final String PARAMETER = "cursor";
    /** sessionIds are derived hashes, far shorter than this. */
    private static final int MAX_SESSION_ID_LENGTH = 256;

    private Cursor() {}

    static String encode(Object[] sortValues) {
        ArrayNode values = Json.MAPPER.createArrayNode();
        values.add(((Number) sortValues[0]).longValue());
        values.add(String.valueOf(sortValues[1]));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(values).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Could be a sessionId: a forged cursor must not carry what Elasticsearch cannot take (an
     * unpaired surrogate fails the request's encoding) or what no session has.
     */
    private static boolean isSessionId(String s) {
        return s.length() <= MAX_SESSION_ID_LENGTH
                && s.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE);
    }

    /** The search_after values, or null when there is no cursor. */
    static Object[] decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            JsonNode values = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(cursor));
            if (values != null && values.isArray() && values.size() == 2
                    && values.get(0).isIntegralNumber() && values.get(0).canConvertToLong()
                    && values.get(1).isTextual() && isSessionId(values.get(1).asText())) {
                return new Object[] {values.get(0).asLong(), values.get(1).asText()};
            }
        } catch (IllegalArgumentException | IOException e) {
            // reported below
        }
        throw ApiException.invalid(PARAMETER, "'cursor' is not a cursor returned by this API (use nextCursor as given)");
    }
}
