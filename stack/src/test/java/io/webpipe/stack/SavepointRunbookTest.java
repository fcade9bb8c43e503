package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

        assertThat(uids(job))
                .isNotEmpty()
                .isEqualTo(all(Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|"), runbook));
    }

    /** The job's {@code .uid("...")} and {@code .uid(CONSTANT)} arguments, constants resolved from the same file. */
    private static Set<String> uids(String job) {
        Map<String, String> constants = new HashMap<>();
        Matcher c = Pattern.compile("static final String (\\w+) = \"([^\"]+)\";").matcher(job);
        while (c.find()) {
            constants.put(c.group(1), c.group(2));
        }
        Set<String> uids = new TreeSet<>();
        Matcher u = Pattern.compile("\\.uid\\((?:\"([^\"]+)\"|(\\w+))\\)").matcher(job);
        while (u.find()) {
            uids.add(u.group(1) != null ? u.group(1) : constants.getOrDefault(u.group(2), "unresolved " + u.group(2)));
        }
        return uids;
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
