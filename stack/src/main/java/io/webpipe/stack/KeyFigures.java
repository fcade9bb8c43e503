package io.webpipe.stack;

import io.webpipe.stack.PrometheusText.Sample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The figures {@code ./webpipe status} prints, from the Prometheus text of the TaskManager (the job's metrics, summed
 * over subtasks), the JobManager (restarts, checkpoints) and the API's {@code /metrics} (the collector). A part that
 * does not answer, or a figure it does not report (yet), is {@value #ABSENT}.
 */
final class KeyFigures {
    static final String ABSENT = "-";
    private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    private static final String JOB = "flink_jobmanager_job_";
    private static final List<String> JOB_COUNTERS = List.of("lateEvents", "latePageViews", "eventsOverSessionLimit",
            "duplicateEvents", "sessionsWritten", "liveSessionsWritten", "sessionsSuperseded", "documentsSuperseded", "documentsRefused");
    private static final List<String> JOB_MANAGER = List.of("numRestarts", "lastCheckpointDuration", "numberOfCompletedCheckpoints");

    private KeyFigures() {}

    /** Each figure's name and value, in the order printed; each argument the text of one endpoint, empty when down. */
    static Map<String, String> of(Optional<String> taskManager, Optional<String> jobManager, Optional<String> api) {
        Optional<List<Sample>> tm = taskManager.map(PrometheusText::parse);
        Optional<List<Sample>> jm = jobManager.map(PrometheusText::parse);
        Optional<List<Sample>> collector = api.map(PrometheusText::parse);
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("eventsDecoded", sum(tm, OPERATOR + "eventsDecoded"));
        figures.put("deadLetters", deadLetters(tm));
        JOB_COUNTERS.forEach(name -> figures.put(name, sum(tm, OPERATOR + name)));
        figures.put("eventTimeLagMs (max)", aggregate(tm, OPERATOR + "eventTimeLagMs", Math::max));
        JOB_MANAGER.forEach(name -> figures.put(name, sum(jm, JOB + name)));
        figures.put("collector events", byLabel(collector, "webpipe_collector_events_total", "outcome"));
        figures.put("collector rate limited", sum(collector, "webpipe_collector_rate_limited_total"));
        return figures;
    }

    /**
     * "12 (not_json 10, too_long 2)": the total, then each reason with a non-zero count. A reason's counter appears with
     * its first dead letter: none yet, while the operator that counts them reports eventsDecoded, is 0.
     */
    private static String deadLetters(Optional<List<Sample>> tm) {
        String total = sum(tm, OPERATOR + "reason_deadLetters");
        if (total.equals(ABSENT)) {
            return sum(tm, OPERATOR + "eventsDecoded").equals(ABSENT) ? ABSENT : "0";
        }
        String reasons = byLabel(tm, OPERATOR + "reason_deadLetters", "reason", value -> value != 0);
        return reasons.isEmpty() ? total : total + " (" + reasons + ")";
    }

    private static String byLabel(Optional<List<Sample>> samples, String name, String label) {
        String values = byLabel(samples, name, label, value -> true);
        return values.isEmpty() ? ABSENT : values;
    }

    /** "accepted 150, rejected 2": the sum of each value of {@code label}, in its alphabetical order. */
    private static String byLabel(Optional<List<Sample>> samples, String name, String label, Predicate<Double> shown) {
        Map<String, Double> sums = samples.orElse(List.of()).stream().filter(s -> s.name().equals(name))
                .collect(Collectors.groupingBy(s -> s.labels().getOrDefault(label, ""), TreeMap::new,
                        Collectors.summingDouble(Sample::value)));
        return sums.entrySet().stream().filter(e -> shown.test(e.getValue()))
                .map(e -> e.getKey() + " " + format(e.getValue())).collect(Collectors.joining(", "));
    }

    private static String sum(Optional<List<Sample>> samples, String name) {
        return aggregate(samples, name, Double::sum);
    }

    /** Every series of {@code name} (each subtask's, each job's) reduced to one figure. */
    private static String aggregate(Optional<List<Sample>> samples, String name, BinaryOperator<Double> reduce) {
        return samples.flatMap(s -> s.stream().filter(sample -> sample.name().equals(name)).map(Sample::value).reduce(reduce))
                .map(KeyFigures::format).orElse(ABSENT);
    }

    /** Whole numbers without a fraction, others with one digit. */
    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
