package io.webpipe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP addresses a process listens on, read from Linux's {@code /proc}: how a test proves that a server
 * cannot be reached from other machines. The process's socket inodes (its {@code fd/} links) are matched with
 * the listening rows of {@code net/tcp} and {@code net/tcp6}, so every port counts, also those the server
 * picks itself.
 */
public final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** Every address and port on which process {@code pid} accepts TCP connections. */
    public static List<InetSocketAddress> of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        Set<String> inodes = socketInodes(proc.resolve("fd"));
        List<InetSocketAddress> listening = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String[] row : rows(proc.resolve("net").resolve(table))) {
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
                if (row[3].equals(LISTEN) && inodes.contains(row[9])) {
                    listening.add(address(row[1]));
                }
            }
        }
        return listening;
    }

    private static Set<String> socketInodes(Path fdDir) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(fdDir)) {
            for (Path fd : fds.toList()) {
                String target = readLink(fd);
                if (target.startsWith("socket:[")) {
                    inodes.add(target.substring("socket:[".length(), target.length() - 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the sockets of " + fdDir, e);
        }
        return inodes;
    }

    private static String readLink(Path fd) throws IOException {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (NoSuchFileException closedMeanwhile) {
            return "";
        }
    }

    private static List<String[]> rows(Path table) {
        try (Stream<String> lines = Files.lines(table)) {
            return lines.skip(1).map(line -> line.trim().split("\\s+")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + table, e);
        }
    }

    /** {@code 0100007F:1F90} (tcp) or 32 hex digits (tcp6): the address in 32-bit words of host byte order. */
    static InetSocketAddress address(String hex) {
        int colon = hex.indexOf(':');
        String words = hex.substring(0, colon);
        byte[] bytes = new byte[words.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2; // little-endian word: the last byte pair comes first
                bytes[word * 4 + i] = (byte) Integer.parseInt(words.substring(at, at + 2), 16);
            }
        }
        try {
            // An IPv4-mapped IPv6 address (::ffff:127.0.0.1, Java's dual-stack sockets) comes back as IPv4.
            return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(hex.substring(colon + 1), 16));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an address: " + hex, e);
        }
    }
}
