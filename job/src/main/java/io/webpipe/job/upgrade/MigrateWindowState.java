package io.webpipe.job.upgrade;

import io.webpipe.config.Settings;
import io.webpipe.job.JobConfig;
import io.webpipe.job.SessionJob;
import io.webpipe.job.pages.PageTotal;
import io.webpipe.job.pages.PageTotals;
import io.webpipe.job.pages.PageView;
import io.webpipe.job.pages.PageWindowSummary;
import io.webpipe.job.pages.PageWindowViews;
import io.webpipe.job.Summarize;
import io.webpipe.job.session.SessionSummary;
import io.webpipe.job.session.WrittenSession;
import io.webpipe.schema.WebEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Rewrites a savepoint of an older job so that the current one restores it: a State Processor API program. The
 * session windows ({@code sessionize}: their events before issue 9, a summary each since) become the sessionizer's
 * state ({@link SessionJob#SESSIONIZE}, {@link SessionsBootstrap}): each open window a session with its summary and
 * whether it had fired its final result, and the documents written for them. The page windows
 * ({@link WindowStateFormat#PAGE_WINDOWS}: their views, or an aggregate each) go too: what each had not reported yet
 * is added to its page's totals ({@link SessionJob#PAGE_TOTALS}, {@link PageTotalsBootstrap}). Every other operator's
 * state is copied as it is. The new savepoint is a directory of its own, with the old one's checkpoint number.
 *
 * <p>Run it with the live job's settings: the session gap, allowed lateness and page window must be the job's.
 */
public final class MigrateWindowState {
    private static final TypeInformation<SessionizeEntry> SESSION_ENTRY = TypeInformation.of(SessionizeEntry.class);
    private static final TypeInformation<PageTotalsEntry> PAGE_ENTRY = TypeInformation.of(PageTotalsEntry.class);

    private MigrateWindowState() {}

    public static void main(String[] args) throws Exception {
        if (Settings.helpRequested(args) || args.length < 2 || args[0].startsWith("-") || args[1].startsWith("-")) {
            System.out.println("usage: MigrateWindowState FROM-SAVEPOINT TO-SAVEPOINT [--key value ...]");
            System.out.print(Settings.help("the live job's settings", JobConfig.DEFAULTS));
            return;
        }
        if (!WindowStateFormat.needsMigration(args[0])) {
            System.out.println(args[0] + " needs no migration: it is the current job's");
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
        CheckpointMetadata metadata = WindowStateFormat.metadata(from);
        SavepointReader savepoint = SavepointReader.read(env, from, new HashMapStateBackend());
        SavepointWriter writer = SavepointWriter.fromExistingSavepoint(env, from, new HashMapStateBackend());
        List<OperatorIdentifier> bootstrapped = new ArrayList<>();
        if (WindowStateFormat.hasOperator(metadata, WindowStateFormat.SESSION_WINDOWS)) {
            OperatorIdentifier windows = OperatorIdentifier.forUid(WindowStateFormat.SESSION_WINDOWS);
            OperatorIdentifier sessions = OperatorIdentifier.forUid(SessionJob.SESSIONIZE);
            writer.removeOperator(windows).withOperator(sessions,
                    sessions(config, savepoint, windows, WindowStateFormat.keepsElements(metadata, windows)));
            bootstrapped.add(sessions);
        }
        if (WindowStateFormat.hasOperator(metadata, WindowStateFormat.PAGE_WINDOWS)) {
            OperatorIdentifier pageWindows = OperatorIdentifier.forUid(WindowStateFormat.PAGE_WINDOWS);
            OperatorIdentifier pageTotals = OperatorIdentifier.forUid(SessionJob.PAGE_TOTALS);
            boolean hasTotals = WindowStateFormat.hasOperator(metadata, SessionJob.PAGE_TOTALS);
            if (hasTotals) {
                writer.removeOperator(pageTotals);
            }
            writer.removeOperator(pageWindows).withOperator(pageTotals, pageTotals(config, savepoint,
                    WindowStateFormat.keepsElements(metadata, pageWindows), hasTotals));
            bootstrapped.add(pageTotals);
        }
        writer.write(to);
        env.execute("webpipe migrate window state");
        requireWritten(WindowStateFormat.metadata(to), bootstrapped);
        renumber(to, metadata.getCheckpointId());
    }

    private static StateBootstrapTransformation<SessionizeEntry> sessions(JobConfig config, SavepointReader savepoint,
            OperatorIdentifier windows, boolean keepsEvents) throws IOException {
        DataStream<SessionizeEntry> open = keepsEvents
                ? savepoint.window(EventTimeSessionWindows.withGap(config.sessionGap))
                        .process(WindowStateFormat.SESSION_WINDOWS, new SessionWindows<WebEvent>(SessionSummary::of), Types.STRING,
                                TypeInformation.of(WebEvent.class), SESSION_ENTRY)
                : savepoint.window(EventTimeSessionWindows.withGap(config.sessionGap))
                        .aggregate(WindowStateFormat.SESSION_WINDOWS, new Summarize<>(SessionSummary::new),
                                new SessionWindows<SessionSummary>(summaries -> summaries.iterator().next()),
                                Types.STRING, SessionSummary.TYPE, SESSION_ENTRY);
        DataStream<SessionizeEntry> written = savepoint.readKeyedState(windows, new WrittenSessions(), Types.STRING,
                SESSION_ENTRY);
        return OperatorTransformation
                .bootstrapWith(open.union(written))
                .keyBy(entry -> entry.visitorId, Types.STRING)
                .transform(new SessionsBootstrap(config.sessionGap, config.allowedLateness));
    }

    private static StateBootstrapTransformation<PageTotalsEntry> pageTotals(JobConfig config, SavepointReader savepoint,
            boolean keepsViews, boolean hasTotals) throws IOException {
        DataStream<PageTotalsEntry> unreported = keepsViews
                ? savepoint.window(TumblingEventTimeWindows.of(config.pagesWindow))
                        .process(WindowStateFormat.PAGE_WINDOWS, new UnreportedViews<PageView>(UnreportedViews::ofDistinct), Types.STRING,
                                TypeInformation.of(PageView.class), PAGE_ENTRY)
                : savepoint.window(TumblingEventTimeWindows.of(config.pagesWindow))
                        .aggregate(WindowStateFormat.PAGE_WINDOWS, new Summarize<>(PageWindowViews::new),
                                new UnreportedViews<PageWindowViews>(windows -> windows.iterator().next()),
                                Types.STRING, PageWindowViews.TYPE, PAGE_ENTRY);
        DataStream<PageTotalsEntry> entries = hasTotals
                ? unreported.union(savepoint.readKeyedState(OperatorIdentifier.forUid(SessionJob.PAGE_TOTALS),
                        new Totals(), Types.STRING, PAGE_ENTRY))
                : unreported;
        return OperatorTransformation
                .bootstrapWith(entries)
                .keyBy(entry -> entry.pageKey, Types.STRING)
                .transform(new PageTotalsBootstrap(config.pagesIdleTimeout));
    }

    /**
     * The State Processor API numbers the savepoint it writes 0, so the job restored from it would number its
     * checkpoints from 1 again, and the Kafka sinks' committers, whose restored state names the old savepoint's
     * checkpoints, fail on a number they have seen (FLINK-25920): the new savepoint takes the old one's number.
     */
    private static void renumber(String to, long checkpointId) throws IOException {
        CheckpointMetadata written = WindowStateFormat.metadata(to);
        CheckpointMetadata renumbered = new CheckpointMetadata(checkpointId, written.getOperatorStates(),
                written.getMasterStates(), written.getCheckpointProperties());
        Path metadata = Path.of(to, AbstractFsCheckpointStorageAccess.METADATA_FILE_NAME);
        Path renumberedFile = metadata.resolveSibling(metadata.getFileName() + ".renumbered");
        try (OutputStream out = Files.newOutputStream(renumberedFile)) {
            Checkpoints.storeCheckpointMetadata(renumbered, out);
        }
        Files.move(renumberedFile, metadata, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A bootstrap that fails in its task's thread is not reported by the State Processor API: its operator is
     * written without a subtask (so with nothing in it), and the job would start from that as if all were there.
     */
    private static void requireWritten(CheckpointMetadata written, List<OperatorIdentifier> bootstrapped) {
        for (OperatorIdentifier operator : bootstrapped) {
            boolean hasSubtasks = written.getOperatorStates().stream()
                    .anyMatch(state -> state.getOperatorID().equals(operator.getOperatorId()) && state.getParallelism() > 0);
            if (!hasSubtasks) {
                throw new IllegalStateException("the migration wrote no state for " + operator.getUid().orElseThrow()
                        + ": its bootstrap failed (see the log)");
            }
        }
    }

    /** With the window's end still timed, the window is open (a stray timer there only makes it fire once more). */
    private static boolean finalFired(WindowReaderFunction.Context<TimeWindow> context, TimeWindow window) throws Exception {
        return !context.registeredEventTimeTimers().contains(window.maxTimestamp());
    }

    /**
     * Every open session window as one summary (of its events in the old format), with whether it had fired its final
     * result. A merged window keeps its contents under one of the windows it merged, its state window; its timers are
     * the merged window's.
     */
    private static final class SessionWindows<T> extends WindowReaderFunction<T, SessionizeEntry, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        /** Flink's window operator's map of merged windows to state windows (its name and serializer). */
        private static final ListStateDescriptor<Tuple2<TimeWindow, TimeWindow>> MERGED_WINDOWS = new ListStateDescriptor<>(
                "merging-window-set", new TupleSerializer<>(tuple2(), new TypeSerializer<?>[] {
                        new TimeWindow.Serializer(), new TimeWindow.Serializer()}));

        private final SerializableFunction<Iterable<T>, SessionSummary> summary;

        SessionWindows(SerializableFunction<Iterable<T>, SessionSummary> summary) {
            this.summary = summary;
        }

        @Override
        public void readWindow(String visitorId, Context<TimeWindow> context, Iterable<T> contents,
                Collector<SessionizeEntry> out) throws Exception {
            TimeWindow window = context.window();
            for (Tuple2<TimeWindow, TimeWindow> merged : context.globalState().getListState(MERGED_WINDOWS).get()) {
                if (merged.f1.equals(context.window())) {
                    window = merged.f0;
                }
            }
            out.collect(SessionizeEntry.window(visitorId, summary.apply(contents), finalFired(context, window)));
        }

        @SuppressWarnings("unchecked")
        private static Class<Tuple2<TimeWindow, TimeWindow>> tuple2() {
            return (Class<Tuple2<TimeWindow, TimeWindow>>) (Class<?>) Tuple2.class;
        }
    }

    /** The session windows' documents written ({@code written-sessions}: by document id, global window state). */
    private static final class WrittenSessions extends KeyedStateReaderFunction<String, SessionizeEntry> {
        private static final long serialVersionUID = 1L;
        private static final MapStateDescriptor<String, WrittenSession> WRITTEN = new MapStateDescriptor<>(
                "written-sessions", Types.STRING, TypeInformation.of(WrittenSession.class));

        private transient MapState<String, WrittenSession> written;

        @Override
        public void open(Configuration parameters) {
            written = getRuntimeContext().getMapState(WRITTEN);
        }

        @Override
        public void readKey(String visitorId, Context context, Collector<SessionizeEntry> out) throws Exception {
            for (Map.Entry<String, WrittenSession> e : written.entries()) {
                WrittenSession document = e.getValue();
                document.id = e.getKey();
                out.collect(SessionizeEntry.written(visitorId, document));
            }
        }
    }

    /**
     * What each old page window had not reported to its page's totals by the savepoint: its views (distinct) less the
     * views its firings had reported (its per-window state). The sketch of its visitors goes whole: a union with the
     * sketch its firings reported is the same sketch.
     */
    private static final class UnreportedViews<T> extends WindowReaderFunction<T, PageTotalsEntry, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        /** Distinct views (people and bots) reported by the window's earlier firings; of those, the bots'. */
        private static final ValueStateDescriptor<Long> REPORTED = new ValueStateDescriptor<>("reported-views", Types.LONG);
        private static final ValueStateDescriptor<Long> REPORTED_BOTS = new ValueStateDescriptor<>("reported-bot-views", Types.LONG);

        private final SerializableFunction<Iterable<T>, PageWindowViews> views;

        UnreportedViews(SerializableFunction<Iterable<T>, PageWindowViews> views) {
            this.views = views;
        }

        @Override
        public void readWindow(String pageKey, Context<TimeWindow> context, Iterable<T> contents,
                Collector<PageTotalsEntry> out) throws Exception {
            PageWindowViews window = views.apply(contents);
            long newViews = window.views - reported(context, REPORTED);
            if (newViews <= 0) {
                return;
            }
            PageWindowSummary summary = PageWindowSummary.of(pageKey, context.window().getStart(), window);
            // At most the new views: a window of a job that had no bot counts reported its bots as people.
            summary.botViews = Math.min(window.botViews - reported(context, REPORTED_BOTS), newViews);
            summary.views = newViews - summary.botViews;
            out.collect(PageTotalsEntry.unreported(summary));
        }

        private static long reported(Context<TimeWindow> context, ValueStateDescriptor<Long> descriptor) throws Exception {
            Long count = context.windowState().getState(descriptor).value();
            return count == null ? 0 : count;
        }

        /** A window of the format that kept its views: each event id once. */
        static PageWindowViews ofDistinct(Iterable<PageView> views) {
            PageWindowViews window = new PageWindowViews();
            Set<String> ids = new HashSet<>();
            for (PageView view : views) {
                if (ids.add(view.eventId)) {
                    window.add(view);
                }
            }
            return window;
        }
    }

    /** The page totals as they were ({@link PageTotals#TOTAL}). */
    private static final class Totals extends KeyedStateReaderFunction<String, PageTotalsEntry> {
        private static final long serialVersionUID = 1L;

        private transient ValueState<PageTotal> total;

        @Override
        public void open(Configuration parameters) {
            total = getRuntimeContext().getState(PageTotals.TOTAL);
        }

        @Override
        public void readKey(String pageKey, Context context, Collector<PageTotalsEntry> out) throws Exception {
            out.collect(PageTotalsEntry.total(pageKey, total.value()));
        }
    }
}
