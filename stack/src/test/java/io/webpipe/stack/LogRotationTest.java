package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The log4j2 configurations of the stack's JVM parts roll as {@link LogPolicy} says: the Flink processes'
 * ({@code flink-conf/log4j.properties}) and Kafka's and Elasticsearch's ({@code child-log4j2.properties}), loaded
 * with the system properties the stack passes, a tiny size limit and 3 files kept.
 */
class LogRotationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"flink-conf, false", "flink-conf, true", "child, false", "child, true"})
    void rollsAtTheSizeAndKeepsTheNewestFiles(String config, boolean compress) throws Exception {
        LogPolicy policy = new LogPolicy("1 KB", 3, compress);
        List<String> properties = policy.jvmOptions(dir, "part");
        properties.forEach(p -> System.setProperty(p.substring(2, p.indexOf('=')), p.substring(p.indexOf('=') + 1)));
        System.setProperty("log.file", dir.resolve("part.log").toString());
        LoggerContext context = new LoggerContext("rotation-" + config, null, location(config));
        try {
            context.start();
            Logger log = context.getLogger("io.webpipe.test");
            for (int i = 0; i < 200; i++) {
                log.info("line {} of a log that grows past its size limit many times over", i);
            }
        } finally {
            context.stop();
            properties.forEach(p -> System.clearProperty(p.substring(2, p.indexOf('='))));
            System.clearProperty("log.file");
        }
        List<String> rolled = files().filter(f -> !f.equals("part.log")).toList();
        assertThat(files()).contains("part.log");
        assertThat(rolled).hasSize(3).allMatch(f -> f.matches("part-\\d{4}-\\d{2}-\\d{2}-\\d+\\.log" + (compress ? "\\.gz" : "")));
    }

    private Stream<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList().stream();
        }
    }

    private static URI location(String config) throws URISyntaxException {
        return config.equals("flink-conf")
                ? StackFixture.REPO.resolve("flink-conf/log4j.properties").toUri()
                : Objects.requireNonNull(LogRotationTest.class.getResource("/io/webpipe/local/child-log4j2.properties")).toURI();
    }
}
