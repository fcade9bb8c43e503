package io.webpipe.api.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webpipe.schema.SessionDocument;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON mapper of the API. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addMixIn(SessionDocument.class, SessionAnswer.class);

    /**
     * Sessions as the API answers them: without {@link SessionDocument#visitorHash()}, a number for Elasticsearch's
     * visitor counts that says nothing to a reader (and a 64-bit integer that JavaScript cannot hold exactly).
     */
    @JsonIgnoreProperties(SessionDocument.VISITOR_HASH)
    private abstract static class SessionAnswer {}

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private Json() {}

    /** Spark response transformer. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** The error body of every 4xx/5xx answer. */
    public static String error(String error, String field, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        body.put("message", message);
        return write(body);
    }
}
