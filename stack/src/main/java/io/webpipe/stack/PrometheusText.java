package io.webpipe.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prometheus' text exposition format, read: every sample line ({@code name{label="value",...} value [timestamp]}). */
final class PrometheusText {
    /** One sample: a metric name, its labels, its value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    /** The samples of {@code text}, in order; comments ({@code # HELP}, {@code # TYPE}) and blank lines skipped. */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                samples.add(sample(l));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a Prometheus sample: " + l, e);
            }
        }
        return samples;
    }

    private static Sample sample(String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        boolean hasLabels = brace >= 0 && (space < 0 || brace < space);
        String name = line.substring(0, hasLabels ? brace : space);
        int end = hasLabels ? labels(line, brace + 1, labels) : space;
        String value = line.substring(end).strip().split("\\s+")[0];
        return new Sample(name, labels, value(value));
    }

    /** Reads {@code key="value"} pairs from {@code i} into {@code labels}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> labels) {
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).strip();
            i = line.indexOf('"', eq) + 1;
            StringBuilder value = new StringBuilder();
            for (char c = line.charAt(i); c != '"'; c = line.charAt(++i)) {
                if (c == '\\') {
                    c = line.charAt(++i);
                    value.append(c == 'n' ? '\n' : c);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i++;
            while (line.charAt(i) == ',' || line.charAt(i) == ' ') {
                i++;
            }
        }
        return i + 1;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
