package io.webpipe.job.sink;

import io.webpipe.schema.Indices;
import java.io.IOException;
import java.time.Duration;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure an alias can take documents before the job writes to it: installs the alias's index
 * template (explicit, strict mapping) if missing, and creates the first versioned index with the
 * alias as its write alias if the alias does not exist yet. Never touches what is already there,
 * so an index switched by the index-lifecycle tooling stays as it is.
 */
public final class IndexSetup {
    private static final Logger LOG = LoggerFactory.getLogger(IndexSetup.class);

    private IndexSetup() {}

    public static RestClient client(String url, String username, String password) {
        RestClientBuilder builder = RestClient.builder(HttpHost.create(url));
        if (username != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(username, password));
            builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }

    /** Retries while Elasticsearch is unreachable, up to {@code wait}. */
    public static void ensure(RestClient client, String alias, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                ensure(client, alias);
                return;
            } catch (ResponseException e) {
                throw e;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("Elasticsearch is not reachable: " + e.getMessage(), e);
                }
                LOG.info("waiting for Elasticsearch ({})", e.toString());
                Thread.sleep(1000);
            }
        }
    }

    public static void ensure(RestClient client, String alias) throws IOException {
        if (!exists(client, "/_template/" + alias)) {
            Request put = new Request("PUT", "/_template/" + alias);
            put.setJsonEntity(Indices.template(alias));
            client.performRequest(put);
            LOG.info("installed index template {}", alias);
        }
        if (!exists(client, "/_alias/" + alias)) {
            String index = Indices.firstVersion(alias);
            Request create = new Request("PUT", "/" + index);
            create.setJsonEntity("{\"aliases\":{\"" + alias + "\":{\"is_write_index\":true}}}");
            try {
                client.performRequest(create);
                LOG.info("created index {} with write alias {}", index, alias);
            } catch (ResponseException e) {
                if (!e.getMessage().contains("resource_already_exists_exception")) {
                    throw e;
                }
                // Another job instance won the race, or the index exists without the alias.
                Request addAlias = new Request("POST", "/_aliases");
                addAlias.setJsonEntity("{\"actions\":[{\"add\":{\"index\":\"" + index + "\",\"alias\":\""
                        + alias + "\",\"is_write_index\":true}}]}");
                client.performRequest(addAlias);
                LOG.info("added write alias {} to existing index {}", alias, index);
            }
        }
    }

    private static boolean exists(RestClient client, String path) throws IOException {
        try {
            return client.performRequest(new Request("HEAD", path)).getStatusLine().getStatusCode() == 200;
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
