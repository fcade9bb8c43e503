package io.webpipe.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium for the browser tests: /usr/bin/chromium, or {@code -Dwebpipe.chromium=PATH}.
 * Without it a browser test fails, except in local development runs with {@code -Dwebpipe.skipBrowserTest=true}.
 */
final class Chromium {
    static final Path PATH = Path.of(System.getProperty("webpipe.chromium", "/usr/bin/chromium"));
    /** Flags every run needs here: no sandbox (tests may run as root), nothing fetched in the background. */
    static final List<String> QUIET = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    /** Longest a one-shot run (DOM dump, screenshot) may take before it counts as hung. */
    private static final long RUN_LIMIT_SECONDS = 120;
    /**
     * Virtual time a page gets after loading: timers run ahead of the clock, time stands still while requests are
     * in flight, so every answer is in. Shorter than any refresh interval of the page, so the run ends.
     */
    private static final int VIRTUAL_TIME_BUDGET_MS = 8_000;

    private Chromium() {}

    /** Call first in a browser test: a missing browser is reported at once. */
    static void require() {
        if (!Files.isExecutable(PATH)) {
            Assumptions.assumeFalse(Boolean.getBoolean("webpipe.skipBrowserTest"), "browser test skipped (-Dwebpipe.skipBrowserTest=true)");
            throw new AssertionError(PATH + " is missing: install Debian's chromium package (apt-get install -y chromium) "
                    + "or point -Dwebpipe.chromium at a Chromium binary");
        }
    }

    /** The DOM of {@code url} once the page has settled, at the given window size. */
    static String dumpDom(String url, int width, int height, Path work) throws IOException, InterruptedException {
        Path dom = work.resolve("dom-" + width + ".html");
        run(work, dom, List.of("--window-size=" + width + "," + height, "--dump-dom", url));
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    /** A PNG of {@code url} once the page has settled, at the given window size. */
    static void screenshot(String url, int width, int height, Path png, Path work) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(work, work.resolve("screenshot-" + width + ".out"), List.of("--window-size=" + width + "," + height,
                "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("Chromium wrote no screenshot " + png + "; its output: " + log(work));
        }
    }

    private static void run(Path work, Path stdout, List<String> action) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PATH.toString(), "--headless=new"));
        command.addAll(QUIET);
        command.add("--user-data-dir=" + Files.createDirectories(work.resolve("profile")));
        command.add("--virtual-time-budget=" + VIRTUAL_TIME_BUDGET_MS);
        command.addAll(action);
        Process chromium = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(work.resolve("chromium.log").toFile())
                .start();
        try {
            if (!chromium.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium did not finish " + action + " within " + RUN_LIMIT_SECONDS + " s; its output: " + log(work));
            }
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroy);
            chromium.destroy();
        }
    }

    static String log(Path work) {
        try {
            String log = Files.readString(work.resolve("chromium.log"));
            return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
