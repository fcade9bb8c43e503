package org.apache.flink.metrics.prometheus;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.NetUtils;

/**
 * The local stack's {@code metrics.reporter.prom.factory.class} (io.webpipe.stack.FlinkCluster): Flink's Prometheus
 * reporter on {@code .host} (default 127.0.0.1) and {@code .port} (a port or a range, as the stock factory reads it).
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new LoopbackPrometheusReporter(properties.getProperty("host", "127.0.0.1"),
                NetUtils.getPortRangeFromString(properties.getProperty("port", "9249")));
    }
}
