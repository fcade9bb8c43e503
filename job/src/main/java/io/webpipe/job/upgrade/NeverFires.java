package io.webpipe.job.upgrade;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** The window function of a window operator being migrated, which never fires ({@link TimeOpenWindows}). */
final class NeverFires<IN, OUT> extends ProcessWindowFunction<IN, OUT, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context context, Iterable<IN> elements, Collector<OUT> out) {
        throw new IllegalStateException("window " + context.window() + " of " + key + " fired while its state was being migrated");
    }
}
