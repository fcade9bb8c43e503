package io.webpipe.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of the child JVMs: this module's own classes or jar, plus its runtime dependencies as Maven
 * recorded them at build time. {@code java.class.path} cannot be used: under Surefire it may be a single
 * manifest-only booter jar, and modules that use this one do not carry the (optional) server dependencies.
 */
final class RuntimeClasspath {

    private static final String RECORDED = "runtime-classpath.txt";

    private RuntimeClasspath() {}

    static String get() {
        List<String> entries = new ArrayList<>();
        entries.add(ownLocation().toString());
        for (String entry : recorded().split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException("The child JVM classpath names a missing file: " + entry
                        + ". Rebuild and install the local module: mvn -B -q -pl local install -DskipTests");
            }
            entries.add(entry);
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Path ownLocation() {
        try {
            return Path.of(RuntimeClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the webpipe-local classes", e);
        }
    }

    private static String recorded() {
        try (InputStream in = RuntimeClasspath.class.getResourceAsStream(RECORDED)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + RECORDED + " is missing from webpipe-local; "
                        + "build it with Maven (mvn -B -q -pl local install -DskipTests)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (text.startsWith("${")) {
                throw new IllegalStateException("webpipe-local was built without its recorded classpath; "
                        + "build it with Maven (mvn -B -q -pl local install -DskipTests)");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
