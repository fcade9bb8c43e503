package io.webpipe.job.pages;

import io.webpipe.schema.WebEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The page a page view counts for, which is also its document id in {@code web-pages}. */
public final class PageKeys {
    /** Elasticsearch refuses document ids longer than 512 bytes. */
    static final int MAX_ID_BYTES = 512;

    private PageKeys() {}

    /** {@code pageId}, else the url (a page view always has one); {@code sha256-<hex>} when longer than Elasticsearch allows. */
    public static String of(WebEvent event) {
        String key = event.pageId != null && !event.pageId.isEmpty() ? event.pageId : event.url;
        return key.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES ? key : "sha256-" + sha256(key);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
