package io.webpipe.job.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * A sink that keeps what it receives in this JVM, for pipeline tests on a MiniCluster. Each instance has
 * its own id, so several sinks and tests never mix; {@link #values} reads what reached it.
 */
public final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    @Override
    @SuppressWarnings("deprecation") // the one abstract method of Sink in Flink 1.20
    public SinkWriter<T> createWriter(InitContext context) {
        List<Object> received = RECEIVED.computeIfAbsent(id, k -> new ArrayList<>());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                synchronized (received) {
                    received.add(element);
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    /** Everything this sink received so far. */
    @SuppressWarnings("unchecked")
    public List<T> values() {
        List<Object> received = RECEIVED.getOrDefault(id, List.of());
        synchronized (received) {
            return new ArrayList<>((List<T>) received);
        }
    }
}
