package io.webpipe.job.upgrade;

import io.webpipe.job.JobConfig;
import io.webpipe.job.SessionJob;
import io.webpipe.config.Settings;
import io.webpipe.job.session.SessionWindowFunction;
import io.webpipe.job.session.WrittenSession;
import io.webpipe.schema.WebEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.functions.WindowReaderFunction;
import org.apache.flink.state.api.output.operators.StateBootstrapWrapperOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Rewrites a savepoint of a job whose session windows kept their events (every version before the one that keeps
 * a {@link io.webpipe.job.session.SessionSummary} per window) so that the current job restores it: a State
 * Processor API program. It reads {@code sessionize}'s open windows and written sessions and writes that operator
 * anew ({@link SessionWindowsBootstrap}); every other operator's state is copied as it is. The new savepoint is a
 * directory of its own, with the old one's checkpoint number.
 *
 * <p>Run it with the live job's settings (the session gap and allowed lateness must be the job's).
 */
public final class MigrateSessionWindows {
    private static final TypeInformation<SessionizeEntry> ENTRY = TypeInformation.of(SessionizeEntry.class);

    private MigrateSessionWindows() {}

    public static void main(String[] args) throws Exception {
        if (Settings.helpRequested(args) || args.length < 2 || args[0].startsWith("-") || args[1].startsWith("-")) {
            System.out.println("usage: MigrateSessionWindows FROM-SAVEPOINT TO-SAVEPOINT [--key value ...]");
            System.out.print(Settings.help("the live job's settings", JobConfig.DEFAULTS));
            return;
        }
        if (!SessionWindowsFormat.keepsEvents(args[0])) {
            System.out.println(args[0] + " needs no migration: its session windows hold summaries already");
            return;
        }
        JobConfig config = JobConfig.load(Arrays.copyOfRange(args, 2, args.length));
        Configuration local = new Configuration();
        local.set(RestOptions.BIND_ADDRESS, "127.0.0.1"); // when it runs on a local Flink of its own: loopback only
        run(StreamExecutionEnvironment.getExecutionEnvironment(local), config, args[0], args[1]);
        System.out.println("migrated " + args[0] + " -> " + args[1]);
    }

    /** Writes the migration of the savepoint {@code from} into the directory {@code to} (local paths), on {@code env}. */
    public static void run(StreamExecutionEnvironment env, JobConfig config, String from, String to) throws Exception {
        migrate(env, config, from, to);
        env.execute("webpipe migrate session windows");
        keepCheckpointId(from, to);
    }

    private static void migrate(StreamExecutionEnvironment env, JobConfig config, String from, String to) throws Exception {
        SavepointReader savepoint = SavepointReader.read(env, from, new HashMapStateBackend());
        OperatorIdentifier sessionize = OperatorIdentifier.forUid(SessionJob.SESSIONIZE);
        DataStream<SessionizeEntry> events = savepoint
                .window(EventTimeSessionWindows.withGap(config.sessionGap))
                .process(SessionJob.SESSIONIZE, new WindowEvents(), Types.STRING, TypeInformation.of(WebEvent.class), ENTRY);
        DataStream<SessionizeEntry> written = savepoint.readKeyedState(sessionize, new WrittenSessions(), Types.STRING, ENTRY);

        StateBootstrapTransformation<SessionizeEntry> windows = OperatorTransformation
                .bootstrapWith(events.union(written))
                .keyBy(entry -> entry.visitorId, Types.STRING)
                .transform((timestamp, path) -> new StateBootstrapWrapperOperator<>(timestamp, path,
                        new SessionWindowsBootstrap(config.sessionGap, config.allowedLateness, env.getConfig())));
        SavepointWriter.fromExistingSavepoint(env, from, new HashMapStateBackend())
                .removeOperator(sessionize)
                .withOperator(sessionize, windows)
                .write(to);
    }

    /**
     * The State Processor API numbers the savepoint it writes 0, so the job restored from it would number its
     * checkpoints from 1 again, and the Kafka sinks' committers, whose restored state names the old savepoint's
     * checkpoints, fail on a number they have seen (FLINK-25920): the new savepoint takes the old one's number.
     */
    private static void keepCheckpointId(String from, String to) throws IOException {
        CheckpointMetadata written = SessionWindowsFormat.metadata(to);
        CheckpointMetadata renumbered = new CheckpointMetadata(SessionWindowsFormat.metadata(from).getCheckpointId(),
                written.getOperatorStates(), written.getMasterStates(), written.getCheckpointProperties());
        Path metadata = Path.of(to, AbstractFsCheckpointStorageAccess.METADATA_FILE_NAME);
        Path renumberedFile = metadata.resolveSibling(metadata.getFileName() + ".renumbered");
        try (OutputStream out = Files.newOutputStream(renumberedFile)) {
            Checkpoints.storeCheckpointMetadata(renumbered, out);
        }
        Files.move(renumberedFile, metadata, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The events of every window, each once (a merged window keeps its events under one of the windows it merged, its
     * state window), and whether the window has fired its final result: then its timer at its end is gone.
     */
    private static final class WindowEvents extends WindowReaderFunction<WebEvent, SessionizeEntry, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        /** Flink's window operator's map of merged windows to state windows (its name and serializer). */
        private static final ListStateDescriptor<Tuple2<TimeWindow, TimeWindow>> MERGED_WINDOWS = new ListStateDescriptor<>(
                "merging-window-set", new TupleSerializer<>(tuple2(), new TypeSerializer<?>[] {
                        new TimeWindow.Serializer(), new TimeWindow.Serializer()}));

        @Override
        public void readWindow(String visitorId, Context<TimeWindow> context, Iterable<WebEvent> events,
                Collector<SessionizeEntry> out) throws Exception {
            TimeWindow window = context.window();
            for (Tuple2<TimeWindow, TimeWindow> merged : context.globalState().getListState(MERGED_WINDOWS).get()) {
                if (merged.f1.equals(context.window())) {
                    window = merged.f0;
                }
            }
            // With the window's end still timed, the window is open: a stray timer at that time (another window's
            // cleanup) would only make the migrated job fire it once more, a rewrite of the same document.
            boolean finalFired = !context.registeredEventTimeTimers().contains(window.maxTimestamp());
            for (WebEvent e : events) {
                out.collect(SessionizeEntry.event(visitorId, e, finalFired));
            }
        }

        @SuppressWarnings("unchecked")
        private static Class<Tuple2<TimeWindow, TimeWindow>> tuple2() {
            return (Class<Tuple2<TimeWindow, TimeWindow>>) (Class<?>) Tuple2.class;
        }
    }

    private static final class WrittenSessions extends KeyedStateReaderFunction<String, SessionizeEntry> {
        private static final long serialVersionUID = 1L;
        private transient MapState<String, WrittenSession> written;

        @Override
        public void open(Configuration parameters) {
            written = getRuntimeContext().getMapState(SessionWindowFunction.WRITTEN);
        }

        @Override
        public void readKey(String visitorId, Context context, Collector<SessionizeEntry> out) throws Exception {
            for (Map.Entry<String, WrittenSession> e : written.entries()) {
                out.collect(SessionizeEntry.written(visitorId, e.getKey(), e.getValue()));
            }
        }
    }
}
