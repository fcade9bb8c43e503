package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import org.junit.jupiter.api.Test;

class MaskedConsoleTest {

    @Test
    void theConsoleMasksWholeLinesAndPartialLinesOnFlush() throws IOException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PrintStream console = MaskedConsole.wrap(written);

        console.println("==> API on http://admin:pw@localhost:4567");
        console.print("    waiting for http://x:y@h ");
        console.print(".");
        console.flush();
        new IllegalStateException("GET http://a:b@localhost:8081/overview -> 500").printStackTrace(console);
        console.flush();

        String text = written.toString(Charset.defaultCharset());
        assertThat(text).startsWith("==> API on http://admin:******@localhost:4567" + System.lineSeparator()
                + "    waiting for http://x:******@h ." + "java.lang.IllegalStateException: GET http://a:******@localhost:8081");
        assertThat(text).doesNotContain(":pw@", ":y@", ":b@");
    }
}
