package io.webpipe.job.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.KeyedStateBackend;

/**
 * A keyed value state, with the values of the keys used most recently kept deserialized in front of it once {@link
 * #keepRecent} is called (by {@link RecentValuesOperator}, for a backend that hands out copies of its values: RocksDB):
 * a key's next element or timer takes its value from here, and a change is written to the backend only when the key
 * leaves this map or at {@link #flush} (before each checkpoint barrier and at the end of input), so that a burst of a
 * key's elements costs one serialization and one write, not one each. What the backend holds at every checkpoint is
 * what it would have held with a write per element. Kafka Streams keeps its record cache in front of RocksDB the same
 * way. The heap backend instead hands out its own objects, and copies one on read while a snapshot still holds it (copy
 * on write, which a kept reference would bypass): after {@link #changesInPlace} (also by {@link RecentValuesOperator},
 * for that backend) an {@link #update} with the very object {@link #value} just returned is not written again, since
 * the change is in the backend's object already; a write there is a second hash lookup of the key. Until either call
 * every call goes to the state. Not thread-safe: one per task.
 *
 * <p>As with the state itself, a value changed in place must be handed to {@link #update}, or the change may be lost.
 */
public final class RecentValues<V> {
    private final ValueState<V> state;
    private final int capacity;
    private Map<String, Kept<V>> kept;
    /** The entry of the key {@link #value} was last asked for: its {@link #update} needs no lookup. */
    private Kept<V> current;
    private KeyedStateBackend<String> backend;
    /** With {@link #changesInPlace}: the backend's own object {@link #value} returned last, until the next update or clear. */
    private V handedOut;
    private boolean inPlace;

    private static final class Kept<V> {
        final String key;
        V value;
        boolean changed;
        boolean gone;

        Kept(String key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    /** @param capacity how many keys {@link #keepRecent} keeps */
    public RecentValues(ValueState<V> state, int capacity) {
        this.state = state;
        this.capacity = capacity;
    }

    /** From now on keeps the values of the most recent keys; {@code stateBackend} is the state's, for writing them back. */
    public void keepRecent(KeyedStateBackend<String> stateBackend) {
        backend = stateBackend;
        kept = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept<V>> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                Kept<V> leaving = eldest.getValue();
                leaving.gone = true;
                if (leaving.changed) {
                    writeBack(leaving);
                }
                return true;
            }
        };
    }

    /**
     * From now on an {@link #update} with the object {@link #value} returned, changed in place, is not written to the
     * backend again: only for a backend whose {@code value()} hands out the object it holds, copied first if a snapshot
     * still holds it (the heap backend's copy on write), so that the change is in the backend already.
     */
    public void changesInPlace() {
        inPlace = true;
    }

    /** The value of {@code key}, the backend's current key. */
    public V value(String key) throws IOException {
        if (kept == null) {
            V stored = state.value();
            handedOut = inPlace ? stored : null;
            return stored;
        }
        Kept<V> entry = kept.get(key);
        if (entry == null) {
            V stored = state.value();
            if (stored == null) {
                current = null;
                return null;
            }
            entry = new Kept<>(key, stored);
            kept.put(key, entry);
        }
        current = entry;
        return entry.value;
    }

    /** Sets the value of {@code key}, the backend's current key. */
    public void update(String key, V value) throws IOException {
        if (kept == null) {
            if (value == null || value != handedOut) {
                state.update(value);
            }
            handedOut = null;
            return;
        }
        Kept<V> entry = current != null && !current.gone && current.key.equals(key) ? current : kept.get(key);
        if (entry == null) {
            entry = new Kept<>(key, value);
            kept.put(key, entry);
        }
        entry.value = value;
        entry.changed = true;
        current = entry;
    }

    /** Clears the value of {@code key}, the backend's current key. */
    public void clear(String key) {
        state.clear();
        handedOut = null;
        if (kept != null) {
            Kept<V> entry = kept.remove(key);
            if (entry != null) {
                entry.gone = true;
            }
        }
    }

    /** Writes every change kept so far to the backend; the values stay here. */
    public void flush() {
        if (kept == null) {
            return;
        }
        for (Kept<V> entry : kept.values()) {
            if (entry.changed) {
                writeBack(entry);
            }
        }
    }

    /** Writes a kept value under its key, then makes the backend's current key what it was. */
    private void writeBack(Kept<V> entry) {
        entry.changed = false;
        String currentKey = backend.getCurrentKey();
        backend.setCurrentKey(entry.key);
        try {
            state.update(entry.value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of key " + entry.key, e);
        } finally {
            if (currentKey != null) {
                backend.setCurrentKey(currentKey);
            }
        }
    }
}
