package io.webpipe.config;

import io.webpipe.schema.Pipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration of a webpipe component. Each component keeps all of its defaults in one
 * properties resource; a value is then overridden, lowest to highest, by a properties file
 * ({@code --config FILE} or {@code WEBPIPE_CONFIG}), by an environment variable
 * ({@code kafka.bootstrap-servers} is read from {@code WEBPIPE_KAFKA_BOOTSTRAP_SERVERS}) and by a
 * command-line argument {@code --kafka.bootstrap-servers host:9092}.
 *
 * <p>Only keys that have a default exist: an unknown key on the command line or in the file is
 * an error, so a typo never silently falls back to a default. A default may name a topic or an alias of the
 * pipeline as {@code ${topic.events}}: those names are defined once, in {@link Pipeline#NAMES}.
 */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|sec|min|m|h|d)?");
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|token|credential|keys).*");
    private static final Pattern PIPELINE_NAME = Pattern.compile("\\$\\{([a-z.-]+)}");

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static Settings load(String defaultsResource, String[] args) {
        return load(defaultsResource, args, System.getenv());
    }

    public static Settings load(String defaultsResource, String[] args, Map<String, String> env) {
        Map<String, String> values = new TreeMap<>(readResource(defaultsResource));
        Map<String, String> cli = parseArgs(args);

        String file = cli.containsKey("config") ? cli.remove("config") : env.get("WEBPIPE_CONFIG");
        if (file != null && !file.isBlank()) {
            overlay(values, readFile(Path.of(file)), "config file " + file);
        }
        for (String key : values.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        overlay(values, cli, "command line");
        return new Settings(values);
    }

    /** Whether the command line asks for the usage ({@code --help} or {@code -h}) instead of a run. */
    public static boolean helpRequested(String[] args) {
        return Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
    }

    /**
     * The usage of a component configured by {@code defaultsResource}: how values are overridden, then the
     * resource itself, which documents every key with its default.
     */
    public static String help(String component, String defaultsResource) {
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(defaultsResource)) {
            if (in == null) {
                throw new IllegalArgumentException("no defaults resource " + defaultsResource);
            }
            return "usage: " + component + " [--config FILE] [--<key> <value> ...]   (or WEBPIPE_<KEY> in the environment)\n\n"
                    + withPipelineNames(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "WEBPIPE_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'");
        }
        return v.trim();
    }

    /** The value, or null when it is set to the empty string. */
    public String getOptional(String key) {
        String v = get(key);
        return v.isEmpty() ? null : v;
    }

    public int getInt(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "an integer");
        }
    }

    public boolean getBoolean(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw invalid(key, "true or false");
    }

    /** A duration such as {@code 500ms}, {@code 10s}, {@code 30min}, {@code 2h}; a bare number is milliseconds. */
    public Duration getDuration(String key) {
        Matcher m = DURATION.matcher(get(key).toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(key, "a duration like 500ms, 10s, 30min, 2h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        switch (unit) {
            case "ms": return Duration.ofMillis(n);
            case "s": case "sec": return Duration.ofSeconds(n);
            case "m": case "min": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofDays(n);
        }
    }

    /** Every key and its effective value, secrets (and credentials inside URLs) masked: for the start-up log line. */
    public Map<String, String> describe() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((k, v) -> shown.put(k, SECRET.matcher(k).matches() && !v.isEmpty() ? UrlCredentials.MASK : UrlCredentials.mask(v)));
        return shown;
    }

    @Override
    public String toString() {
        return describe().toString();
    }

    private IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException(
                "configuration '" + key + "' must be " + expected + ", got '" + values.get(key) + "'");
    }

    private static void overlay(Map<String, String> values, Map<String, String> overrides, String source) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new IllegalArgumentException(
                        "unknown configuration key '" + e.getKey() + "' in " + source + "; known keys: " + values.keySet());
            }
            values.put(e.getKey(), e.getValue());
        }
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> cli = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("expected --key value, got '" + a + "'");
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                cli.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.length) {
                cli.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for --" + key);
            }
        }
        return cli;
    }

    private static Map<String, String> readResource(String resource) {
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("defaults resource '" + resource + "' is not on the classpath");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> defaults = toMap(p);
            defaults.replaceAll((key, value) -> withPipelineNames(value));
            return defaults;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} with each {@code ${name}} replaced by that name of the pipeline; an unknown name is an error. */
    static String withPipelineNames(String value) {
        return PIPELINE_NAME.matcher(value).replaceAll(m -> {
            String name = Pipeline.NAMES.get(m.group(1));
            if (name == null) {
                throw new IllegalStateException("unknown pipeline name " + m.group() + "; known: " + Pipeline.NAMES.keySet());
            }
            return Matcher.quoteReplacement(name);
        });
    }

    private static Map<String, String> readFile(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return toMap(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
