package io.webpipe.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LruCacheTest {

    @Test
    void keepsTheMostRecentlyUsedEntries() {
        Map<String, Integer> cache = new LruCache<>(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("a"); // used: b is now the eldest
        cache.computeIfAbsent("c", k -> 3);

        assertThat(cache).containsOnlyKeys("a", "c");
    }
}
