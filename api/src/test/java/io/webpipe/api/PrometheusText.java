package io.webpipe.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format 0.0.4: every line is a {@code # HELP}, a
 * {@code # TYPE} or a sample of a family whose TYPE came before; anything else fails the read.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern VALUE = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|[-+]Inf|NaN");
    private static final Set<String> SUFFIXES = Set.of("_bucket", "_count", "_sum");

    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusText() {}

    static List<Sample> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (types.put(type.group(1), type.group(2)) != null) {
                    throw new AssertionError("TYPE twice for " + type.group(1));
                }
            } else if (!HELP.matcher(line).matches() && !line.isEmpty()) {
                Sample sample = sample(line);
                if (!types.containsKey(sample.name()) && !types.containsKey(family(sample.name(), types))) {
                    throw new AssertionError("sample before its TYPE: " + line);
                }
                samples.add(sample);
            }
        }
        return samples;
    }

    /** The histogram or summary a {@code _bucket}, {@code _count} or {@code _sum} sample belongs to. */
    private static String family(String name, Map<String, String> types) {
        for (String suffix : SUFFIXES) {
            String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
            if (base != null && Set.of("histogram", "summary").contains(types.get(base))) {
                return base;
            }
        }
        return null;
    }

    private static Sample sample(String line) {
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new AssertionError("not a sample: " + line);
        }
        int at = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (line.charAt(at) != '}') {
                Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
                if (!label.lookingAt() || !line.startsWith("=\"", label.end())) {
                    throw new AssertionError("bad label at " + at + ": " + line);
                }
                StringBuilder value = new StringBuilder();
                at = label.end() + 2;
                for (char c = line.charAt(at); c != '"'; c = line.charAt(++at)) {
                    if (c == '\\') {
                        char escaped = line.charAt(++at);
                        value.append(switch (escaped) {
                            case '\\', '"' -> escaped;
                            case 'n' -> '\n';
                            default -> throw new AssertionError("bad escape in " + line);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label.group(), value.toString()) != null) {
                    throw new AssertionError("label twice: " + line);
                }
                at++;
                if (line.charAt(at) == ',') {
                    at++;
                }
            }
            at++;
        }
        String[] rest = line.substring(at).split(" ", -1);
        if (rest.length < 2 || rest.length > 3 || !rest[0].isEmpty() || !VALUE.matcher(rest[1]).matches()
                || (rest.length == 3 && !rest[2].matches("-?\\d+"))) {
            throw new AssertionError("bad value or timestamp: " + line);
        }
        return new Sample(name.group(), labels, Double.parseDouble(rest[1].replace("Inf", "Infinity")));
    }
}
