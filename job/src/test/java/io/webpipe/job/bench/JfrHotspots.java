package io.webpipe.job.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) fall: the top frames (self time) and,
 * for the project's and the libraries' own methods, the share of samples they are anywhere on the stack
 * (total time). Stacks are truncated by JFR at 64 frames, so totals of deep frames are lower bounds.
 */
final class JfrHotspots {
    /** Frames worth a total: ours and the per-event libraries, not the runtime's loops that are on every stack. */
    private static final List<String> TOTAL_OF = List.of("io.webpipe.", "ua_parser.", "com.fasterxml.jackson.databind.ObjectMapper",
            "org.apache.flink.api.java.typeutils.runtime.PojoSerializer", "org.apache.flink.streaming.runtime.operators.windowing.WindowOperator",
            "org.apache.flink.runtime.state.heap.", "org.apache.flink.contrib.streaming.state.", "org.apache.flink.connector.elasticsearch.",
            "org.apache.flink.connector.kafka.", "org.apache.flink.runtime.io.network.api.serialization.", "org.apache.datasketches.");

    final Map<String, Integer> self = new HashMap<>();
    final Map<String, Integer> total = new HashMap<>();
    int samples;

    static JfrHotspots of(Path recording) throws IOException {
        JfrHotspots hotspots = new JfrHotspots();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getEventType().getName().equals("jdk.ExecutionSample")) {
                hotspots.add(event.getStackTrace());
            }
        }
        return hotspots;
    }

    private void add(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(name(frames.get(0)), 1, Integer::sum);
        Set<String> onStack = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String name = name(frame);
            if (TOTAL_OF.stream().anyMatch(name::startsWith) && onStack.add(name)) {
                total.merge(name, 1, Integer::sum);
            }
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** The {@code n} largest entries of {@code counts} as lines "share  samples  method". */
    String top(Map<String, Integer> counts, int n) {
        StringBuilder out = new StringBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(n)
                .forEach(e -> out.append(String.format("  %5.1f %%  %6d  %s%n", 100.0 * e.getValue() / samples, e.getValue(), e.getKey())));
        return out.toString();
    }
}
