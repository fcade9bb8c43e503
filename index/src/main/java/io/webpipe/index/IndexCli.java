package io.webpipe.index;

import io.webpipe.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The index lifecycle from a shell ({@code ./webpipe index --help}): {@code init}, {@code alias},
 * {@code reindex}, {@code upgrade}, {@code list}. Exit codes: 0 done, 1 the step cannot be done (unknown version, alias
 * missing, Elasticsearch refused), 2 bad command line, 3 Elasticsearch unreachable.
 */
@Command(name = "index", synopsisHeading = "usage: ",
        description = "Versioned indices behind the webpipe aliases (web-sessions, web-pages).",
        // rebuild runs the job, which this module does not carry: the webpipe script routes it to the job jar.
        footer = {"  rebuild web-sessions  Build a new version with the job from what web-log retains, switch the alias, "
                + "catch up with the live job (./webpipe index rebuild --help)."},
        subcommands = {IndexCli.Init.class, IndexCli.Alias.class, IndexCli.Reindex.class, IndexCli.Upgrade.class,
                IndexCli.ListVersions.class})
public final class IndexCli implements Callable<Integer> {
    public static final String DEFAULTS = "webpipe-index.properties";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new IndexCli())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler(IndexCli::badCommandLine);
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().synopsisHeading("usage: "));
        return cli.execute(args);
    }

    /** No command given. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String message = e instanceof CommandLine.UnmatchedArgumentException unmatched && cli.getCommandSpec().parent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")
                ? "unknown command '" + unmatched.getUnmatched().get(0) + "'"
                : e.getMessage();
        cli.getErr().println("error: " + message);
        cli.usage(cli.getErr());
        return USAGE;
    }

    /** Where Elasticsearch is: the keys of {@code webpipe-index.properties}, as options. */
    static final class Connection {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;
        @Option(names = "--elasticsearch.url", paramLabel = "URL", description = "comma-separated node URLs (default: from the configuration)")
        String url;
        @Option(names = "--elasticsearch.username", paramLabel = "USER", description = "basic-auth user")
        String username;
        @Option(names = "--elasticsearch.password", paramLabel = "PASSWORD", description = "basic-auth password")
        String password;
        @Option(names = "--config", paramLabel = "FILE", description = "a properties file with these keys (also WEBPIPE_CONFIG)")
        String config;

        Settings settings() {
            List<String> args = new ArrayList<>();
            add(args, "--elasticsearch.url", url);
            add(args, "--elasticsearch.username", username);
            add(args, "--elasticsearch.password", password);
            add(args, "--config", config);
            return Settings.load(DEFAULTS, args.toArray(String[]::new));
        }

        private static void add(List<String> args, String key, String value) {
            if (value != null) {
                args.add(key);
                args.add(value);
            }
        }
    }

    /** A step of the lifecycle, run against Elasticsearch with its errors mapped to the exit codes. */
    abstract static class Step implements Callable<Integer> {
        @Mixin
        Connection connection;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract void run(IndexLifecycle lifecycle, PrintWriter out) throws IOException, InterruptedException;

        @Override
        public Integer call() {
            Settings settings = connection.settings();
            String url = settings.get("elasticsearch.url");
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (RestClient client = IndexLifecycle.connect(url, settings.getOptional("elasticsearch.username"),
                    settings.getOptional("elasticsearch.password"))) {
                run(new IndexLifecycle(client, out::println), out);
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
    }

    @Command(name = "init", description = "Create <name>_v<N+1> from the current template (the alias stays).")
    static final class Init extends Step {
        @Parameters(paramLabel = "NAME", description = "the alias: web-sessions or web-pages")
        String name;

        @Override
        void run(IndexLifecycle lifecycle, PrintWriter out) throws IOException {
            lifecycle.init(name);
        }
    }

    @Command(name = "alias", description = "Point the alias (reads and writes) at <name>_v<version>, in one atomic request.")
    static final class Alias extends Step {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "VERSION", converter = Version.class, description = "2 or v2")
        int version;

        @Override
        void run(IndexLifecycle lifecycle, PrintWriter out) throws IOException {
            lifecycle.alias(name, version);
        }
    }

    @Command(name = "reindex",
            description = "Copy <name>_v<from> into <name>_v<to> (with the alias's migration), then switch the alias: zero downtime.")
    static final class Reindex extends Step {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--from", required = true, paramLabel = "VERSION", converter = Version.class)
        int from;
        @Option(names = "--to", required = true, paramLabel = "VERSION", converter = Version.class)
        int to;

        @Override
        void run(IndexLifecycle lifecycle, PrintWriter out) throws IOException, InterruptedException {
            lifecycle.reindex(name, from, to);
        }
    }

    @Command(name = "upgrade",
            description = "When the alias's index lacks fields of the current template: init a new version and reindex into it.")
    static final class Upgrade extends Step {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        void run(IndexLifecycle lifecycle, PrintWriter out) throws IOException, InterruptedException {
            for (String name : names) {
                if (lifecycle.upgrade(name).isEmpty()) {
                    out.println(name + ": nothing to migrate (no index yet, or it maps every field of the current template)");
                }
            }
        }
    }

    @Command(name = "list", description = "Versions, document counts, which holds the alias.")
    static final class ListVersions extends Step {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "one alias (default: all)")
        String name;

        @Override
        void run(IndexLifecycle lifecycle, PrintWriter out) throws IOException {
            List<IndexVersion> versions = lifecycle.list(name);
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
    }

    /** A version: a positive integer, also written {@code v2}. */
    static final class Version implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            String digits = text.startsWith("v") ? text.substring(1) : text;
            try {
                int v = Integer.parseInt(digits);
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("a version is a positive integer (2 or v2), got '" + text + "'");
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
