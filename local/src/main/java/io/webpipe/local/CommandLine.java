package io.webpipe.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code --key value} options of the child mains. */
final class CommandLine {

    private final Map<String, String> options;

    private CommandLine(Map<String, String> options) {
        this.options = options;
    }

    static CommandLine parse(String[] args, Set<String> known) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i];
            if (!key.startsWith("--") || !known.contains(key.substring(2))) {
                throw new IllegalArgumentException("Unknown option '" + key + "'; known: --" + String.join(", --", known));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + key + " needs a value");
            }
            options.put(key.substring(2), args[i + 1]);
        }
        return new CommandLine(options);
    }

    /**
     * Parses the options of a child main with a required {@code --data}; on a bad command line
     * prints the problem and the usage and exits with status 2.
     */
    static CommandLine parseOrExit(String[] args, Set<String> known, String usage) {
        try {
            CommandLine options = parse(args, known);
            options.required("data");
            return options;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: " + usage);
            System.exit(2);
            throw e;
        }
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(options.get(key));
    }

    String required(String key) {
        return get(key).orElseThrow(() -> new IllegalArgumentException("Missing option --" + key));
    }

    int port(String key, int defaultPort) {
        String value = options.get(key);
        if (value == null) {
            return defaultPort;
        }
        try {
            return Ports.orFree(Integer.parseInt(value.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + key + " must be a port number, was '" + value + "'");
        }
    }

    Path path(String key) {
        return Path.of(required(key)).toAbsolutePath().normalize();
    }
}
