package io.webpipe.index;

import java.time.Duration;
import java.util.Arrays;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/** The one way webpipe builds an Elasticsearch client: comma-separated node URLs, optional basic auth, timeouts. */
public final class ElasticsearchClients {
    /** The low-level client's own defaults, for callers without settings of their own. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(RestClientBuilder.DEFAULT_CONNECT_TIMEOUT_MILLIS);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(RestClientBuilder.DEFAULT_SOCKET_TIMEOUT_MILLIS);

    private ElasticsearchClients() {}

    /** A low-level client; {@code username} null: no authentication. */
    public static RestClient connect(String urls, String username, String password, Duration connectTimeout,
            Duration requestTimeout) {
        return builder(urls, username, password, connectTimeout, requestTimeout).build();
    }

    /**
     * The builder {@link #connect} builds, for a client that wraps it (the API's high-level client
     * takes a builder). {@code requestTimeout} bounds each wait for data on the socket.
     */
    public static RestClientBuilder builder(String urls, String username, String password, Duration connectTimeout,
            Duration requestTimeout) {
        HttpHost[] hosts = Arrays.stream(urls.split(","))
                .map(String::trim).filter(u -> !u.isEmpty()).map(HttpHost::create).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts).setRequestConfigCallback(config -> config
                .setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()))
                .setSocketTimeout(Math.toIntExact(requestTimeout.toMillis())));
        if (username != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(username, password));
            builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
        }
        return builder;
    }
}
