package io.webpipe.index;

import io.webpipe.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The index lifecycle from a shell:
 * <pre>
 * init &lt;name&gt;                          create &lt;name&gt;_v&lt;N+1&gt; from the current template
 * alias &lt;name&gt; &lt;version&gt;               point the alias at &lt;name&gt;_v&lt;version&gt; (one atomic request)
 * reindex &lt;name&gt; --from &lt;v&gt; --to &lt;w&gt;  copy v into w and switch, while writers keep writing
 * list [name]                          versions, document counts, which holds the alias
 * </pre>
 * Exit codes: 0 done, 1 the step cannot be done (unknown version, alias missing, Elasticsearch refused),
 * 2 bad command line, 3 Elasticsearch unreachable.
 */
public final class IndexCli {
    public static final String DEFAULTS = "webpipe-index.properties";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private static final String HELP = String.join(System.lineSeparator(),
            "usage: IndexCli <command> [--elasticsearch.url URL] [--config FILE]",
            "  init <name>                          create <name>_v<N+1> from the current template",
            "  alias <name> <version>               point the alias <name> (reads and writes) at <name>_v<version>",
            "  reindex <name> --from <v> --to <w>   copy <name>_v<v> into <name>_v<w>, then switch the alias (zero downtime)",
            "  list [name]                          versions, document counts, which holds the alias");

    private IndexCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        List<String> options = new ArrayList<>();
        Integer from = null;
        Integer to = null;
        Settings settings;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.println(HELP);
                    return OK;
                }
                if (!a.startsWith("--")) {
                    words.add(a);
                } else if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                } else if (a.equals("--from")) {
                    from = version(args[++i]);
                } else if (a.equals("--to")) {
                    to = version(args[++i]);
                } else {
                    options.add(a);
                    options.add(args[++i]);
                }
            }
            settings = Settings.load(DEFAULTS, options.toArray(String[]::new));
            checkShape(words, from, to);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(HELP);
            return USAGE;
        }

        String url = settings.get("elasticsearch.url");
        try (RestClient client = IndexLifecycle.connect(url, settings.getOptional("elasticsearch.username"),
                settings.getOptional("elasticsearch.password"))) {
            IndexLifecycle lifecycle = new IndexLifecycle(client, out::println);
            String name = words.get(1 % words.size());
            switch (words.get(0)) {
                case "init" -> lifecycle.init(name);
                case "alias" -> lifecycle.alias(name, version(words.get(2)));
                case "reindex" -> lifecycle.reindex(name, from, to);
                default -> printList(lifecycle.list(words.size() > 1 ? name : null), out);
            }
            return OK;
        } catch (IndexLifecycleException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        } catch (ResponseException e) {
            err.println("error: Elasticsearch refused the request: " + e.getResponse().getStatusLine() + " " + firstLine(e.getMessage()));
            return FAILED;
        } catch (ConnectException e) {
            err.println("error: Elasticsearch at " + url + " is unreachable (" + e.getMessage() + ")");
            return UNREACHABLE;
        } catch (IOException e) {
            err.println("error: Elasticsearch at " + url + " did not answer: " + e);
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return FAILED;
        }
    }

    private static void checkShape(List<String> words, Integer from, Integer to) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("missing command");
        }
        String command = words.get(0);
        int expected = switch (command) {
            case "init" -> 2;
            case "alias" -> 3;
            case "reindex" -> 2;
            case "list" -> words.size() <= 2 ? words.size() : 2;
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
        if (words.size() != expected) {
            throw new IllegalArgumentException("wrong arguments for '" + command + "': " + String.join(" ", words));
        }
        if (command.equals("alias")) {
            version(words.get(2));
        }
        if (command.equals("reindex") != (from != null && to != null) || (!command.equals("reindex") && (from != null || to != null))) {
            throw new IllegalArgumentException("reindex needs --from and --to (and only reindex takes them)");
        }
    }

    private static int version(String text) {
        String digits = text.startsWith("v") ? text.substring(1) : text;
        try {
            int v = Integer.parseInt(digits);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("a version is a positive integer (2 or v2), got '" + text + "'");
    }

    private static void printList(List<IndexVersion> versions, PrintStream out) {
        if (versions.isEmpty()) {
            out.println("no versioned indices");
            return;
        }
        out.printf("%-30s %8s %12s  %s%n", "index", "version", "docs", "alias");
        for (IndexVersion v : versions) {
            out.printf("%-30s %8d %12d  %s%n", v.index(), v.version(), v.docs(),
                    v.aliased() ? v.name() + (v.writeIndex() ? " (read, write)" : " (read)") : "");
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
