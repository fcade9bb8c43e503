package io.webpipe.stack;

import io.webpipe.local.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Flink session cluster, a JobManager and a TaskManager in two JVMs, run from the
 * Maven-resolved Flink jars with {@code flink-conf/}. It starts them the way Flink's own shell
 * scripts do: memory flags and dynamic properties come from {@code BashJavaUtils}, the JDK 17
 * flags from {@code env.java.opts.all}. The processes and the Flink CLI read a copy of
 * {@code flink-conf/} in which only the host paths (checkpoints, savepoints, tmp, uploads), the ports, the
 * addresses (loopback) and the Prometheus reporter's factory (one that listens on loopback; each process's reporter
 * port is on its command line) are replaced, so the same config.yaml also serves the Docker images.
 */
public final class FlinkCluster {
    private static final String JM_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TM_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    /**
     * Where both processes listen, on every port (REST, RPC, blob, data): the REST API runs any jar it is
     * sent, so it must not be reachable from other machines. An IP, so that no hosts file can widen it.
     */
    static final String BIND_ADDRESS = "127.0.0.1";
    /** Flink's Prometheus reporter on {@link #BIND_ADDRESS} only: the stock factory listens on every interface. */
    static final String METRICS_REPORTER_FACTORY = "org.apache.flink.metrics.prometheus.LoopbackPrometheusReporterFactory";
    private static final String METRICS_PORT = "metrics.reporter.prom.port";
    private static final String TMP_DIRS = "io.tmp.dirs";

    /** The cluster's ports: REST (and Web UI), the JobManager's RPC, each process's Prometheus reporter. */
    public record Ports(int rest, int rpc, int jobManagerMetrics, int taskManagerMetrics) {}

    private final StackLayout layout;
    private final String classpath;
    private final Ports ports;
    private final LogPolicy logPolicy;
    private final ChildProcess jobManager;
    private final ChildProcess taskManager;

    FlinkCluster(StackLayout layout, String classpath, Ports ports, LogPolicy logPolicy) {
        this.layout = layout;
        this.classpath = classpath;
        this.ports = ports;
        this.logPolicy = logPolicy;
        this.jobManager = withOwnTmp(ChildProcess.detached("jobmanager", layout.logDir(), layout.runDir(), true));
        this.taskManager = withOwnTmp(ChildProcess.detached("taskmanager", layout.logDir(), layout.runDir(), true));
    }

    /**
     * Each process's io.tmp.dirs is a directory of its own, emptied before each (re)start: a Flink process unpacks its
     * RPC system's jar there (21 MB) and, a TaskManager, keeps its working directory there (the job's jar, RocksDB's
     * native library and instances: about 100 MB); a killed one cannot delete them, and the supervisor restarts it.
     */
    private ChildProcess withOwnTmp(ChildProcess process) {
        return process.withScratchDir(layout.home().resolve("tmp").resolve(process.name()));
    }

    public ChildProcess jobManager() {
        return jobManager;
    }

    public ChildProcess taskManager() {
        return taskManager;
    }

    public String restUrl() {
        return "http://localhost:" + ports.rest();
    }

    /** The JobManager's Prometheus reporter. */
    public String jobManagerMetricsUrl() {
        return metricsUrl(ports.jobManagerMetrics());
    }

    /** The TaskManager's Prometheus reporter: the job's own metrics. */
    public String taskManagerMetricsUrl() {
        return metricsUrl(ports.taskManagerMetrics());
    }

    private static String metricsUrl(int port) {
        return "http://" + BIND_ADDRESS + ":" + port + "/metrics";
    }

    public void startJobManager() {
        if (jobManager.isRunning()) {
            return;
        }
        jobManager.start(command(JM_MAIN, "GET_JM_RESOURCE_PARAMS", jobManager, ports.jobManagerMetrics()));
    }

    public void startTaskManager() {
        if (taskManager.isRunning()) {
            return;
        }
        taskManager.start(command(TM_MAIN, "GET_TM_RESOURCE_PARAMS", taskManager, ports.taskManagerMetrics()));
    }

    /** Host-specific values that replace (or are added to) those of flink-conf/config.yaml in the local copy. */
    Map<String, Object> hostSettings() {
        Path home = layout.home();
        return Map.ofEntries(
                Map.entry("rest.address", BIND_ADDRESS),
                Map.entry("rest.bind-address", BIND_ADDRESS),
                Map.entry("jobmanager.rpc.address", BIND_ADDRESS),
                Map.entry("jobmanager.bind-host", BIND_ADDRESS),
                Map.entry("taskmanager.host", BIND_ADDRESS),
                Map.entry("taskmanager.bind-host", BIND_ADDRESS),
                Map.entry("rest.port", ports.rest()),
                Map.entry("jobmanager.rpc.port", ports.rpc()),
                Map.entry("metrics.reporter.prom.factory.class", METRICS_REPORTER_FACTORY),
                Map.entry("metrics.reporter.prom.host", BIND_ADDRESS),
                Map.entry("execution.checkpointing.dir", layout.dataDir("flink-checkpoints").toUri().toString()),
                Map.entry("execution.checkpointing.savepoint-dir", layout.savepointDir().toUri().toString()),
                // The CLI's; each process has its own below it (withOwnTmp).
                Map.entry(TMP_DIRS, home.resolve("tmp").toString()),
                Map.entry("web.upload.dir", home.resolve("flink-uploads").toString()));
    }

    /**
     * Writes the configuration directory the local processes use: flink-conf/ with the host settings replaced or
     * added (so the bind addresses hold whatever it says), and its log4j files. Returns it.
     */
    public Path renderConfig() {
        Path dir = layout.localFlinkConfDir();
        try {
            Files.createDirectories(dir);
            Map<String, Object> config = FlinkConfigFile.read(layout.flinkConfDir());
            config.putAll(hostSettings());
            config.remove(METRICS_PORT);
            FlinkConfigFile.write(dir, "Written by the local stack (io.webpipe.stack.FlinkCluster) from "
                    + layout.flinkConfDir().resolve(FlinkConfigFile.NAME) + " with this machine's paths, ports and addresses.",
                    config);
            try (var files = Files.list(layout.flinkConfDir())) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("log4j")).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process's command line; its reporter's port is a dynamic property, the rest of its settings the config's. */
    private List<String> command(String mainClass, String resourceQuery, ChildProcess process, int metricsPort) {
        createDirectories();
        Path confDir = renderConfig();
        List<String> resources = resourceParams(resourceQuery, confDir);
        List<String> jvmOptions = new ArrayList<>(split(resources.get(0)));
        jvmOptions.addAll(split(javaOpts(confDir)));
        jvmOptions.add("-Dlog.file=" + process.logFile());
        jvmOptions.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        jvmOptions.addAll(logPolicy.jvmOptions(process.logFile().getParent(), process.name()));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(split(resources.get(1)));
        args.addAll(List.of("-D", METRICS_PORT + "=" + metricsPort));
        args.addAll(List.of("-D", TMP_DIRS + "=" + process.scratchDir().orElseThrow()));
        return ChildProcess.javaCommand(jvmOptions, classpath, mainClass, args);
    }

    /** Runs BashJavaUtils as Flink's scripts do: [jvm memory flags, dynamic memory properties]. */
    private List<String> resourceParams(String query, Path confDir) {
        List<String> cmd = ChildProcess.javaCommand(List.of(), classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils", List.of(query, "--configDir", confDir.toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("BashJavaUtils " + query + " failed:\n" + out);
            }
            List<String> results = out.lines()
                    .filter(l -> l.startsWith(RESULT_PREFIX))
                    .map(l -> l.substring(RESULT_PREFIX.length()).trim())
                    .toList();
            List<String> lastTwo = results.subList(Math.max(0, results.size() - 2), results.size());
            if (lastTwo.size() != 2) {
                throw new IllegalStateException("unexpected BashJavaUtils output:\n" + out);
            }
            return lastTwo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code env.java.opts.all} of the local configuration: the JDK 17 flags of every Flink JVM (also the CLI's). */
    public String javaOptions() {
        return javaOpts(layout.localFlinkConfDir());
    }

    /** {@code env.java.opts.all} from config.yaml: the one place the JDK 17 flags are written. */
    private static String javaOpts(Path confDir) {
        return String.valueOf(FlinkConfigFile.read(confDir).getOrDefault("env.java.opts.all", ""));
    }

    private void createDirectories() {
        try {
            for (Path dir : List.of(layout.home().resolve("tmp"), layout.home().resolve("flink-uploads"),
                    layout.dataDir("flink-checkpoints"), layout.savepointDir())) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
