package io.webpipe.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README shows the channel table as the job reads it: one source of truth, {@code channels.tsv}. */
class ChannelTableReadmeTest {

    @Test
    void readmeHasTheGeneratedCopyOfTheChannelTable() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"));
        String expected = ChannelTableMarkdown.render(ChannelTable.load());
        int begin = readme.indexOf(ChannelTableMarkdown.BEGIN);
        int end = readme.indexOf(ChannelTableMarkdown.END);
        String actual = begin < 0 || end < begin ? "" : readme.substring(begin, end + ChannelTableMarkdown.END.length());
        assertThat(actual).as("README.md's channel table; replace it with:%n%s%n", expected).isEqualTo(expected);
    }
}
