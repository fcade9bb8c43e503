package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The runbook's table of operator uids (savepoints/README.md) names exactly the uids the job sets. */
class SavepointRunbookTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void runbookListsEveryOperatorUidOfTheJob() throws IOException {
        String job = Files.readString(REPO.resolve("job/src/main/java/io/webpipe/job/SessionJob.java"));
        String runbook = Files.readString(REPO.resolve("savepoints/README.md"));

        assertThat(all(Pattern.compile("\\.uid\\(\"([^\"]+)\"\\)"), job))
                .isNotEmpty()
                .isEqualTo(all(Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|"), runbook));
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
