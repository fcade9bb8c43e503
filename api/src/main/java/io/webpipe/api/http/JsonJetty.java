package io.webpipe.api.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import spark.embeddedserver.EmbeddedServers;
import spark.embeddedserver.jetty.EmbeddedJettyFactory;
import spark.embeddedserver.jetty.JettyServerFactory;

/**
 * The Jetty under Spark, made to answer like the rest of the API: errors Jetty raises itself
 * (a malformed request line, headers too large) get the JSON error body too, never an HTML page,
 * no answer names the server software and version, idle connections are closed soon, and a request
 * counts as in flight until its answer is written ({@link InFlight}).
 */
public final class JsonJetty implements JettyServerFactory {
    /** Pass to {@code Service.embeddedServerIdentifier} after {@link #register()}. */
    public static final String IDENTIFIER = "webpipe-json-jetty";
    /**
     * A connection silent this long is closed. Spark sets an hour: a client that sends a body one
     * byte at a time would hold a worker thread that long, and a few dozen such clients all of them.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private JsonJetty() {}

    public static void register() {
        EmbeddedServers.add(IDENTIFIER, new EmbeddedJettyFactory(new JsonJetty()));
    }

    @Override
    public Server create(int maxThreads, int minThreads, int threadTimeoutMillis) {
        QueuedThreadPool pool = maxThreads > 0
                ? new QueuedThreadPool(maxThreads, Math.max(minThreads, 1), threadTimeoutMillis > 0 ? threadTimeoutMillis : 60_000)
                : new QueuedThreadPool();
        return create(pool);
    }

    @Override
    public Server create(ThreadPool threadPool) {
        Server server = new Server(threadPool) {
            @Override
            protected void doStart() throws Exception {
                // Spark has added its connectors by now.
                for (Connector connector : getConnectors()) {
                    HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                    if (http != null) {
                        http.getHttpConfiguration().setSendServerVersion(false);
                        http.getHttpConfiguration().addCustomizer(JsonJetty::refuseUndecodablePath);
                    }
                    if (connector instanceof AbstractConnector) {
                        ((AbstractConnector) connector).setIdleTimeout(IDLE_TIMEOUT.toMillis());
                    }
                    connector.addBean(InFlight.COMPLETION);
                }
                super.doStart();
            }
        };
        server.setErrorHandler(new JsonErrorHandler());
        return server;
    }

    /**
     * Spark matches routes on the raw path and URL-decodes path parameters with
     * {@link URLDecoder}, which throws on escapes Jetty lets through ({@code /api/x%25},
     * {@code /api/x%?}): such a path is a 400 here, before Spark can turn it into a 500.
     */
    private static void refuseUndecodablePath(Connector connector, HttpConfiguration config, Request request) {
        try {
            URLDecoder.decode(request.getHttpURI().getPath(), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            request.setHandled(true); // Spark never sees it; the error handler writes the JSON answer
            try {
                request.getResponse().sendError(HttpStatus.BAD_REQUEST_400);
            } catch (IOException failed) {
                throw new UncheckedIOException(failed);
            }
        }
    }

    private static final class JsonErrorHandler extends ErrorHandler {
        JsonErrorHandler() {
            setShowStacks(false);
            setShowServlet(false);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
            fields.put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
            return ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void doError(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            baseRequest.setHandled(true);
            response.setContentType(Json.CONTENT_TYPE);
            response.getWriter().write(body(response.getStatus()));
        }

        private static String body(int status) {
            String reason = HttpStatus.getMessage(status);
            return Json.error(status < 500 ? "bad_request" : "internal_error", null,
                    "the request could not be processed: " + status + " " + reason);
        }
    }
}
