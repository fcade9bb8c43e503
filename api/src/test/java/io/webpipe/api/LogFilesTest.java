package io.webpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.appender.rolling.CompositeTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.DefaultRolloverStrategy;
import org.apache.logging.log4j.core.appender.rolling.SizeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.TimeBasedTriggeringPolicy;
import org.apache.logging.log4j.core.appender.rolling.action.DeleteAction;
import org.apache.logging.log4j.core.appender.rolling.action.IfAccumulatedFileCount;
import org.apache.logging.log4j.core.appender.rolling.action.IfFileName;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped log4j2.xml rolls access and application logs at 10 MB and daily, keeps 30, and gzips on request. */
class LogFilesTest {
    private LoggerContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        for (String p : new String[] {"dir", "max-size", "keep", "archive-suffix"}) {
            System.clearProperty("webpipe.log." + p);
        }
    }

    @Test
    void defaultsRollBySizeAndDayAndKeepThirty(@TempDir Path dir) throws Exception {
        start(dir, "--log.dir", dir.toString());
        for (String name : new String[] {"app", "access"}) {
            RollingFileAppender appender = context.getConfiguration().getAppender(name);
            CompositeTriggeringPolicy policy = appender.getTriggeringPolicy();
            assertThat(policy.getTriggeringPolicies()).hasAtLeastOneElementOfType(TimeBasedTriggeringPolicy.class);
            SizeBasedTriggeringPolicy size = Arrays.stream(policy.getTriggeringPolicies())
                    .filter(SizeBasedTriggeringPolicy.class::isInstance).map(SizeBasedTriggeringPolicy.class::cast).findFirst().orElseThrow();
            assertThat(size.getMaxFileSize()).isEqualTo(10L * 1024 * 1024);
            assertThat(appender.getFilePattern()).endsWith(".log");

            DeleteAction delete = (DeleteAction) ((DefaultRolloverStrategy) appender.getManager().getRolloverStrategy()).getCustomActions().get(0);
            IfFileName files = (IfFileName) delete.getPathConditions().get(0);
            IfAccumulatedFileCount count = (IfAccumulatedFileCount) files.getNestedConditions().get(0);
            assertThat(count.getThresholdCount()).isEqualTo(30);
        }

        context.getLogger("access").info("GET /health 200");
        context.getLogger(ApiServer.class).info("started");
        assertThat(Files.readString(dir.resolve("access.log"))).contains("GET /health 200");
        assertThat(Files.readString(dir.resolve("api.log"))).contains("started").doesNotContain("GET /health");
    }

    @Test
    void compressionAndLimitsAreConfigurable(@TempDir Path dir) throws Exception {
        start(dir, "--log.dir", dir.toString(), "--log.compress", "true", "--log.keep", "7", "--log.max-size", "1 MB");
        RollingFileAppender appender = context.getConfiguration().getAppender("app");
        assertThat(appender.getFilePattern()).endsWith(".log.gz");
        assertThat(appender.getFileName()).isEqualTo(dir.resolve("api.log").toString());
    }

    @Test
    void credentialsInsideUrlsAreMaskedInMessagesStackTracesAndTheAccessLog(@TempDir Path dir) throws Exception {
        start(dir, "--log.dir", dir.toString());
        context.getLogger(ApiServer.class).info("Starting with configuration {elasticsearch.url=http://elastic:s3cret@es:9200, log.keep=30}");
        context.getLogger(ApiServer.class).warn("Elasticsearch failed",
                new IllegalStateException("cannot reach https://user:pa@ss3cret@es.example:9243/_search"));
        context.getLogger("access").info("\"GET /api/sessions/http://a:s3cret@x HTTP/1.1\" 404");

        String app = Files.readString(dir.resolve("api.log"));
        assertThat(app).contains("elasticsearch.url=http://******@es:9200, log.keep=30")
                .contains("https://******@es.example:9243/_search")
                .contains("at io.webpipe.api.LogFilesTest") // the stack trace is still there
                .doesNotContain("s3cret").doesNotContain("elastic:");
        assertThat(Files.readString(dir.resolve("access.log"))).contains("http://******@x").doesNotContain("s3cret");
    }

    private void start(Path dir, String... args) throws Exception {
        LogFiles.configure(Settings.load(ApiServer.DEFAULTS, args, Map.of()));
        ConfigurationSource source = ConfigurationSource.fromResource("log4j2.xml", getClass().getClassLoader());
        context = new LoggerContext("log-files-test");
        context.start(new XmlConfiguration(context, source));
    }
}
