package io.webpipe.stack;

import io.webpipe.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The command line of {@code ./webpipe up|down|status} ({@code --help} on each), and {@code flink-java-options}, the
 * JDK flags {@code ./webpipe flink} starts Flink's CLI with. The stack's settings stay {@code --key value} pairs of
 * {@code webpipe-stack.properties}, handed to {@link Settings} as they come. Exit codes: 0 done, 1 failed, 2 bad
 * command line or setting.
 */
@Command(name = "webpipe", synopsisHeading = "usage: ",
        description = "The local stack: Kafka, Elasticsearch, a Flink cluster with the job, the API and demo traffic.",
        subcommands = {StackCli.Up.class, StackCli.Down.class, StackCli.Status.class, StackCli.Supervise.class,
                StackCli.FlinkJavaOptions.class, StackCli.JobArguments.class})
public final class StackCli implements Callable<Integer> {
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    public static void main(String[] args) {
        MaskedConsole.install();
        CommandLine cli = new CommandLine(new StackCli())
                .setOut(new PrintWriter(System.out, true))
                .setErr(new PrintWriter(System.err, true))
                // The settings' comments are lines of their own: wide enough that none wraps.
                .setUsageHelpWidth(160);
        // Each command's synopsis and settings are those of Settings.help: every key with its default.
        cli.getSubcommands().forEach((name, command) -> {
            String[] usage = Settings.help("webpipe " + name, StackConfig.DEFAULTS).split("\n", 2);
            command.getCommandSpec().usageMessage().synopsisHeading("").customSynopsis(usage[0] + "%n").footer(usage[1].replace("%", "%%"));
        });
        System.exit(cli.execute(args));
    }

    /** No command given. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** A command on the stack that {@code --config FILE} and {@code --<key> <value>} configure. */
    abstract static class StackCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
        boolean help;
        @Unmatched
        List<String> settings = new ArrayList<>();

        /** Returns the exit status. */
        abstract int run(LocalStack stack) throws Exception;

        @Override
        public Integer call() throws Exception {
            LocalStack stack;
            try {
                stack = new LocalStack(Settings.load(StackConfig.DEFAULTS, settings.toArray(String[]::new)), Path.of(""));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().usage(spec.commandLine().getErr());
                return USAGE;
            }
            return run(stack);
        }
    }

    @Command(name = "up", description = "Build nothing, start every part that is not running, submit the job (restoring "
            + "the newest savepoint), print where to look; a supervisor process restarts any part that dies. A part that "
            + "fails to start stops what this up started.")
    static final class Up extends StackCommand {
        @Override
        int run(LocalStack stack) throws Exception {
            return stack.upSupervised(settings) ? 0 : 1;
        }
    }

    @Command(name = "supervise", hidden = true, description = "What up starts in the background: starts the stack, then "
            + "restarts any part that dies until down (SIGTERM).")
    static final class Supervise extends StackCommand {
        @Override
        int run(LocalStack stack) throws Exception {
            return stack.superviseUntilStopped();
        }
    }

    @Command(name = "down", description = "Stop the job with a savepoint, then every part; the data stays.")
    static final class Down extends StackCommand {
        @Override
        int run(LocalStack stack) throws Exception {
            stack.down();
            return 0;
        }
    }

    @Command(name = "status", description = "Each part with its state, memory and log, the Flink jobs, then the key figures "
            + "of the metrics (the job's, Flink's and the collector's).")
    static final class Status extends StackCommand {
        @Override
        int run(LocalStack stack) throws Exception {
            stack.status();
            return 0;
        }
    }

    @Command(name = "flink-java-options", description = "Print the JDK flags of the local Flink cluster's JVMs "
            + "(env.java.opts.all of the configuration \"up\" wrote): ./webpipe flink starts Flink's CLI with them.")
    static final class FlinkJavaOptions extends StackCommand {
        @Override
        int run(LocalStack stack) {
            System.out.println(stack.flink().javaOptions());
            return 0;
        }
    }

    @Command(name = "job-arguments", description = "Print the job's arguments on this stack (Kafka, Elasticsearch, session gap), "
            + "one a line: ./webpipe index rebuild runs the job over the log with the live job's settings.")
    static final class JobArguments extends StackCommand {
        @Override
        int run(LocalStack stack) {
            stack.jobArguments().forEach(System.out::println);
            return 0;
        }
    }
}
