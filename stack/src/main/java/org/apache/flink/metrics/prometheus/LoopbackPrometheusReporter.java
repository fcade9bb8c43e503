package org.apache.flink.metrics.prometheus;

import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Iterator;

/**
 * Flink's Prometheus reporter listening on one address: the stock {@link PrometheusReporter} (up to Flink 1.20)
 * listens on every interface. In Flink's package for {@link AbstractPrometheusReporter#registry}.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    private final HTTPServer server;

    LoopbackPrometheusReporter(String host, Iterator<Integer> ports) {
        HTTPServer started = null;
        while (started == null && ports.hasNext()) {
            int port = ports.next();
            try {
                started = new HTTPServer(new InetSocketAddress(host, port), registry);
                log.info("Started Prometheus reporter on {}:{}", host, port);
            } catch (IOException e) {
                log.debug("Port {} of {} is taken, trying the next", port, host, e);
            }
        }
        if (started == null) {
            throw new IllegalStateException("no free port in the Prometheus reporter's range on " + host);
        }
        server = started;
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }
}
