package io.webpipe.job.types;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * How the job's own serializers write strings and lengths: a string as its UTF-8 bytes in one piece after their length
 * + 1 (0: null), a length in 7-bit groups (one byte below 128). Flink's {@code StringSerializer} writes a string a
 * character at a time, which profiles showed as a large part of the job's serialization.
 */
public final class Utf8Fields {
    private Utf8Fields() {}

    public static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            writeLength(0, out);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLength(bytes.length + 1, out);
        out.write(bytes);
    }

    public static String readString(DataInputView in) throws IOException {
        int length = readLength(in) - 1;
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static void writeStrings(String[] strings, DataOutputView out) throws IOException {
        writeLength(strings.length, out);
        for (String s : strings) {
            writeString(s, out);
        }
    }

    public static String[] readStrings(DataInputView in) throws IOException {
        String[] strings = new String[readLength(in)];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = readString(in);
        }
        return strings;
    }

    /** A non-negative int in 7-bit groups: one byte below 128. */
    public static void writeLength(int n, DataOutputView out) throws IOException {
        while ((n & ~0x7F) != 0) {
            out.writeByte((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out.writeByte(n);
    }

    public static int readLength(DataInputView in) throws IOException {
        int n = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            n |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return n;
            }
        }
        throw new IOException("a length longer than an int");
    }
}
