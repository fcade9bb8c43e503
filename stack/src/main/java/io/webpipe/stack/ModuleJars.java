package io.webpipe.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The build's output that the stack runs: each module's jar in {@code <module>/target}, with its runtime classpath. */
final class ModuleJars {
    private final Path repo;

    ModuleJars(Path repo) {
        this.repo = repo;
    }

    /** {@code webpipe-<module>.jar} or {@code webpipe-<module>-<version>.jar}; not test, source or pre-shade jars. */
    static boolean isModuleJar(Path file, String module) {
        return file.getFileName().toString().matches("webpipe-" + module + "(-\\d[^-]*(-SNAPSHOT)?)?\\.jar");
    }

    Path jar(String module) {
        Path target = repo.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> isModuleJar(p, module))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": run ./webpipe build"));
        } catch (IOException e) {
            throw new UncheckedIOException("module " + module + " is not built: run ./webpipe build", e);
        }
    }

    /** A module's jar followed by its runtime classpath (written by the build to target/classpath.txt). */
    String classpath(String module) {
        Path jar = jar(module);
        try {
            return jar + ":" + Files.readString(jar.resolveSibling("classpath.txt")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("module " + module + " is not built: run ./webpipe build", e);
        }
    }
}
