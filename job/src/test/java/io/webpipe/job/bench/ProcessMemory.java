package io.webpipe.job.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory now and at its peak ({@code VmRSS}, {@code VmHWM} of {@code /proc/<pid>/status}), in bytes. */
record ProcessMemory(long residentBytes, long peakResidentBytes) {

    static ProcessMemory of(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the memory of process " + pid + " (has it exited?)", e);
        }
    }

    static ProcessMemory parse(String status) {
        return new ProcessMemory(field(status, "VmRSS"), field(status, "VmHWM"));
    }

    /** A {@code Name:   1234 kB} line, in bytes. */
    private static long field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                String[] value = line.substring(name.length() + 1).trim().split("\\s+");
                if (value.length != 2 || !value[1].equals("kB")) {
                    throw new IllegalArgumentException("unexpected " + line);
                }
                return Long.parseLong(value[0]) * 1024;
            }
        }
        throw new IllegalArgumentException("no " + name + " in the process status");
    }

    @Override
    public String toString() {
        return String.format("RSS %,d MiB (peak %,d MiB)", residentBytes >> 20, peakResidentBytes >> 20);
    }
}
