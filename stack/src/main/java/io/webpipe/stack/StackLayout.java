package io.webpipe.stack;

import java.nio.file.Path;

/** Where the local stack keeps its files, below the repository: {@code .webpipe/} by default. */
public final class StackLayout {
    private final Path repo;
    private final Path home;
    private final Path savepoints;

    /** {@code home} and {@code savepoints} are relative to {@code repo} unless absolute. */
    public StackLayout(Path repo, Path home, Path savepoints) {
        this.repo = repo.toAbsolutePath().normalize();
        this.home = this.repo.resolve(home).normalize();
        this.savepoints = this.repo.resolve(savepoints).normalize();
    }

    public Path repo() {
        return repo;
    }

    public Path home() {
        return home;
    }

    public Path dataDir(String part) {
        return home.resolve("data").resolve(part);
    }

    public Path logDir() {
        return home.resolve("logs");
    }

    public Path runDir() {
        return home.resolve("run");
    }

    public Path flinkConfDir() {
        return repo.resolve("flink-conf");
    }

    /** The copy of flink-conf/ with this machine's paths, read by the Flink processes and the CLI. */
    public Path localFlinkConfDir() {
        return home.resolve("flink-conf");
    }

    /** Savepoints go to the repository's savepoints/ folder by default, as the runbook says. */
    public Path savepointDir() {
        return savepoints;
    }
}
