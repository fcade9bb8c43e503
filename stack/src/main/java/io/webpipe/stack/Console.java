package io.webpipe.stack;

import io.webpipe.local.ChildProcess;
import io.webpipe.schema.Pipeline;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the stack prints: its steps, the report after {@code up}, the tables of {@code status}. */
final class Console {
    private static final String STATUS_ROW = "%-14s %-10s %8s %8s  %-44s %s%n";
    private static final String FIGURE_ROW = "%-30s %s%n";

    private Console() {}

    static void step(String what) {
        System.out.println("==> " + what);
    }

    /** Where to look once the stack is up. */
    static void upReport(StackConfig config, StackLayout layout, FlinkCluster flink, Startup startup) {
        System.out.printf("%nwebpipe is up (%d s; %s). Look here:%n", startup.times().get(LocalStack.UP).toSeconds(),
                startup.describe());
        System.out.printf("  Flink Web UI      %s  (job '%s'; Submit New Job uploads a jar)%n", flink.restUrl(), Pipeline.JOB_NAME);
        System.out.printf("  API               %s/health   %s/openapi.json%n", config.apiUrl(), config.apiUrl());
        System.out.printf("  Elasticsearch     %s/web-sessions/_count%n", config.elasticsearchUrl());
        System.out.printf("  Kafka             %s  (topics %s)%n", config.kafkaBootstrap(), String.join(", ", config.topicNames()));
        System.out.printf("  Logs              %s  (./webpipe logs taskmanager)%n", layout.logDir());
        System.out.printf("  Savepoints        %s  (runbook: savepoints/README.md)%n", layout.savepointDir());
        System.out.printf("  Live sessions     curl -s '%s/api/sessions?size=5'%n", config.apiUrl());
        System.out.println("  A session is written when its visitor has been inactive for " + config.jobSessionGap()
                + " (job.session-gap), so the first ones show up a few minutes after start.");
        System.out.println("  Status with ./webpipe status; stop with ./webpipe down (the job stops with a savepoint; up restores it).");
    }

    /**
     * The supervisor, each part with its state, memory, restarts, last exit and log, then the Flink jobs. A part's
     * state is the supervisor's ("restarting", "given up") when it does not run.
     */
    static void status(StackLayout layout, List<ChildProcess> parts, FlinkCluster flink, FlinkRest rest,
            Optional<Supervision> supervision) throws IOException {
        boolean supervised = supervision.filter(s -> s.phase().equals(Supervision.UP))
                .flatMap(s -> ProcessHandle.of(s.pid())).filter(ProcessHandle::isAlive).isPresent();
        System.out.println(supervised ? "supervisor: pid " + supervision.get().pid() + ", restarts parts that die"
                : "supervisor: not running" + supervision.map(s -> " (last " + s.phase() + ")").orElse("") + ", nothing restarts a part that dies");
        System.out.printf(STATUS_ROW, "PART", "STATE", "RSS", "RESTARTS", "LAST EXIT", "LOG");
        for (ChildProcess p : parts) {
            Optional<Supervision.Part> record = supervision.flatMap(s -> s.part(p.name()));
            String state = p.isRunning() ? "running" : record.map(Supervision.Part::state).filter(s -> supervised && !s.equals("running"))
                    .orElse("stopped");
            System.out.printf(STATUS_ROW, p.name(), state, p.rssMib().map(m -> m + " MiB").orElse("-"),
                    record.map(r -> Integer.toString(r.restarts())).orElse("-"),
                    record.filter(r -> r.lastExit() != null).map(r -> r.lastExit() + " at " + r.lastExitAt()).orElse("-"),
                    layout.repo().relativize(p.logFile()));
        }
        if (flink.jobManager().isRunning() && rest.isReady()) {
            for (FlinkRest.JobStatus job : rest.jobs()) {
                System.out.printf("%-14s %-10s %s %s%n", "flink job", job.state(), job.id(), job.name());
            }
        }
    }

    /** The key figures of the metrics ("-": its part does not answer, or does not report it yet). */
    static void keyFigures(Map<String, String> figures) {
        System.out.printf("%n" + FIGURE_ROW, "FIGURE", "VALUE");
        figures.forEach((name, value) -> System.out.printf(FIGURE_ROW, name, value));
    }
}
