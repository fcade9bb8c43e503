package io.webpipe.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The figures of {@code status}. The samples in {@code metrics/} were captured from a real {@code ./webpipe up} with
 * demo traffic (two subtasks), cut to the lines of the figures and a few others.
 */
class KeyFiguresTest {
    private static final String DEAD_LETTERS = "flink_taskmanager_job_task_operator_reason_deadLetters";

    @Test
    void sumsOverSubtasksAndTakesTheLargestLag() throws IOException {
        Map<String, String> figures = KeyFigures.of(sample("taskmanager"), sample("jobmanager"), sample("api"));

        assertThat(figures).containsExactly(
                Map.entry("eventsDecoded", "1080"),
                Map.entry("deadLetters", "0"),
                Map.entry("lateEvents", "0"),
                Map.entry("latePageViews", "0"),
                Map.entry("eventsOverSessionLimit", "0"),
                Map.entry("duplicateEvents", "0"),
                Map.entry("sessionsWritten", "107"),
                Map.entry("liveSessionsWritten", "31"),
                Map.entry("sessionsSuperseded", "0"),
                Map.entry("documentsSuperseded", "0"),
                Map.entry("documentsRefused", "0"),
                Map.entry("eventTimeLagMs (max)", "10609"),
                Map.entry("numRestarts", "0"),
                Map.entry("lastCheckpointDuration", "169"),
                Map.entry("numberOfCompletedCheckpoints", "2"),
                Map.entry("collector events", "accepted 960, failed 0, rejected 0"),
                Map.entry("collector rate limited", "0"));
    }

    /** Each reason is its own series per subtask (a key-value group); those still at 0 are left out. */
    @Test
    void deadLettersAreTheTotalThenEachNonZeroReason() throws IOException {
        String taskManager = sample("taskmanager").orElseThrow() + String.join("\n",
                DEAD_LETTERS + "{reason=\"not_json\",subtask_index=\"0\",} 7.0",
                DEAD_LETTERS + "{reason=\"not_json\",subtask_index=\"1\",} 3.0",
                DEAD_LETTERS + "{reason=\"too_long\",subtask_index=\"0\",} 2.0",
                DEAD_LETTERS + "{reason=\"time_range\",subtask_index=\"1\",} 0.0", "");

        assertThat(KeyFigures.of(Optional.of(taskManager), Optional.empty(), Optional.empty()))
                .containsEntry("deadLetters", "12 (not_json 10, too_long 2)");
    }

    @Test
    void aPartThatIsDownOrAFigureNotReportedYetIsADash() throws IOException {
        Map<String, String> figures = KeyFigures.of(Optional.empty(), Optional.of("flink_jobmanager_numRunningJobs 0.0\n"),
                sample("api"));

        assertThat(figures).containsEntry("eventsDecoded", "-").containsEntry("deadLetters", "-")
                .containsEntry("eventTimeLagMs (max)", "-").containsEntry("numRestarts", "-")
                .containsEntry("collector events", "accepted 960, failed 0, rejected 0");
        assertThat(figures.values()).filteredOn(v -> !v.equals("-")).hasSize(2);
    }

    private static Optional<String> sample(String part) throws IOException {
        try (InputStream in = KeyFiguresTest.class.getResourceAsStream("/metrics/" + part + ".txt")) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
