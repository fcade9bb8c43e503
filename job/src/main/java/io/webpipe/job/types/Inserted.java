package io.webpipe.job.types;

import java.util.Arrays;

/**
 * An array one element longer, with the element at its place: for state values whose arrays are never changed in place,
 * so that a copy of the value (a snapshot's, on the heap) may share them.
 */
public final class Inserted {
    private Inserted() {}

    public static <T> T[] into(T[] array, int at, T element) {
        T[] more = Arrays.copyOf(array, array.length + 1);
        System.arraycopy(array, at, more, at + 1, array.length - at);
        more[at] = element;
        return more;
    }

    public static int[] into(int[] array, int at, int element) {
        int[] more = Arrays.copyOf(array, array.length + 1);
        System.arraycopy(array, at, more, at + 1, array.length - at);
        more[at] = element;
        return more;
    }
}
