package io.webpipe.job.types;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Random;
import java.util.Set;

/**
 * Instances whose every public instance field holds a random value, for the tests of the job's own serializers: a
 * field a serializer forgets comes back with its default and fails a field-by-field comparison, and a field of a type
 * this class does not know fails at once, so a new field cannot slip by.
 */
public final class RandomFields {
    private static final String[] TEXT = {"", "a", "/path?q=1", "한국어 제목", "emoji 😀", "x".repeat(300)};

    private RandomFields() {}

    /**
     * @param nested   types of fields filled the same way, recursively
     * @param leftOut  types of fields left to the caller (arrays of nested objects, say)
     */
    public static <T> T randomInstance(Class<T> type, Random random, Set<Class<?>> nested, Set<Class<?>> leftOut) throws Exception {
        T instance = type.getConstructor().newInstance();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(instance, random.nextInt(8) == 0 ? null : TEXT[random.nextInt(TEXT.length)] + random.nextInt());
            } else if (t == int.class) {
                f.setInt(instance, random.nextInt());
            } else if (t == long.class) {
                f.setLong(instance, random.nextLong());
            } else if (t == boolean.class) {
                f.setBoolean(instance, random.nextBoolean());
            } else if (t == long[].class) {
                f.set(instance, random.longs(1 + random.nextInt(5)).toArray());
            } else if (t == int[].class) {
                f.set(instance, random.ints(1 + random.nextInt(5)).toArray());
            } else if (t == String[].class) {
                String[] strings = new String[1 + random.nextInt(5)];
                for (int i = 0; i < strings.length; i++) {
                    strings[i] = TEXT[random.nextInt(TEXT.length)] + random.nextInt();
                }
                f.set(instance, strings);
            } else if (nested.contains(t)) {
                f.set(instance, randomInstance(t, random, nested, leftOut));
            } else if (!leftOut.contains(t)) {
                throw new AssertionError("a field of a type this test does not fill: " + type.getSimpleName() + "." + f.getName());
            }
        }
        return instance;
    }
}
