package io.webpipe.job.session;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The sessions of the visitors {@link Sessionize} saw most recently, deserialized, in front of a state backend that
 * hands out copies of its values (RocksDB): a visitor's next event or timer takes them from here, and a change is
 * written to the backend only when the visitor leaves this map or at {@link #flush} (before each checkpoint barrier
 * and at the end of input), so that a burst of a visitor's events costs one serialization and one write, not one
 * each. What the backend holds at every checkpoint is what it would have held with a write per event. Kafka Streams
 * keeps its record cache in front of RocksDB the same way. Not thread-safe: one per task.
 */
final class RecentVisitors {
    private final Map<String, VisitorSessions> visitors;
    private final Set<String> changed = new HashSet<>();
    private final BiConsumer<String, VisitorSessions> writeBack;

    /** @param writeBack writes a visitor's sessions to the backend, under that visitor's key */
    RecentVisitors(int capacity, BiConsumer<String, VisitorSessions> writeBack) {
        this.writeBack = writeBack;
        this.visitors = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VisitorSessions> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                if (changed.remove(eldest.getKey())) {
                    writeBack.accept(eldest.getKey(), eldest.getValue());
                }
                return true;
            }
        };
    }

    /** The visitor's sessions if kept here, else null (then the backend has them, or nothing). */
    VisitorSessions get(String visitorId) {
        return visitors.get(visitorId);
    }

    /** Keeps sessions just read from the backend. */
    void keep(String visitorId, VisitorSessions sessions) {
        visitors.put(visitorId, sessions);
    }

    /** Keeps changed sessions, to be written back later. */
    void change(String visitorId, VisitorSessions sessions) {
        visitors.put(visitorId, sessions);
        changed.add(visitorId);
    }

    /** Forgets a visitor whose state was cleared. */
    void remove(String visitorId) {
        visitors.remove(visitorId);
        changed.remove(visitorId);
    }

    /** Writes every change kept so far to the backend; the visitors stay here. */
    void flush() {
        for (String visitorId : changed) {
            writeBack.accept(visitorId, visitors.get(visitorId));
        }
        changed.clear();
    }
}
