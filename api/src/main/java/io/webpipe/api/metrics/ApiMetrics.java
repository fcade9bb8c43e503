package io.webpipe.api.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import spark.Service;

/**
 * The API's meters and {@code GET /metrics}, in Prometheus' text format: the requests by route and
 * status ({@link RequestMetrics}), the collector's outcomes ({@link CollectorMetrics}) and the JVM's basics
 * (memory, GC, threads, classes, CPU, uptime). Who may read it is decided where {@code /api/*} is guarded.
 */
public final class ApiMetrics implements AutoCloseable {
    /** Prometheus' text exposition format, version 0.0.4: what {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final CollectorMetrics collector = new CollectorMetrics(registry);

    public ApiMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public RequestMetrics requests() {
        return requests;
    }

    public CollectorMetrics collector() {
        return collector;
    }

    /** {@code GET /metrics}. */
    public void register(Service http) {
        http.get("/metrics", (req, res) -> {
            res.type(CONTENT_TYPE);
            return registry.scrape();
        });
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
