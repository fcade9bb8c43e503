package io.webpipe.job.quality;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rows of {@code channels.tsv}, the one table of the default channel grouping (its comments say how it reads). */
public final class ChannelTable {
    public static final String RESOURCE = "channels.tsv";
    /** In a channel row: any class. */
    public static final String ANY = "*";

    /** A {@code source} row: sources matching one of {@code patterns} are of class {@code sourceClass}. */
    public record SourceRow(String sourceClass, String site, List<String> patterns) {}

    /** A {@code medium} row. */
    public record MediumRow(String mediumClass, List<String> patterns) {}

    /** A {@code channel} row. */
    public record ChannelRow(String channel, String sourceClass, String mediumClass) {}

    public final List<SourceRow> sources = new ArrayList<>();
    public final List<MediumRow> media = new ArrayList<>();
    public final List<ChannelRow> channels = new ArrayList<>();

    private ChannelTable() {}

    /** The table shipped with the job. */
    public static ChannelTable load() {
        try (InputStream in = ChannelTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ChannelTable parse(List<String> lines) {
        ChannelTable table = new ChannelTable();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            switch (f[0] + "/" + f.length) {
                case "source/4" -> table.sources.add(new SourceRow(f[1], f[2], patterns(f[3])));
                case "medium/3" -> table.media.add(new MediumRow(f[1], patterns(f[2])));
                case "channel/4" -> table.channels.add(new ChannelRow(f[1], f[2], f[3]));
                default -> throw new IllegalArgumentException(RESOURCE + ": not a row: " + line);
            }
        }
        ChannelRow last = table.channels.isEmpty() ? null : table.channels.get(table.channels.size() - 1);
        if (last == null || !last.sourceClass().equals(ANY) || !last.mediumClass().equals(ANY)) {
            throw new IllegalArgumentException(RESOURCE + ": the last channel row must be '* *', so every session has a channel");
        }
        return table;
    }

    private static List<String> patterns(String list) {
        return Arrays.stream(list.split(",")).map(p -> p.trim().toLowerCase(Locale.ROOT)).filter(p -> !p.isEmpty()).toList();
    }

    /** A pattern as a regex: {@code *} any characters, the rest literal; matching the whole value or any part after a dot. */
    static Pattern regex(String pattern) {
        StringBuilder literal = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (literal.length() > 0) {
                literal.append(".*");
            }
            literal.append(Pattern.quote(part));
        }
        return Pattern.compile("(?:.*\\.)?" + literal);
    }
}
