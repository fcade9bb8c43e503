package io.webpipe.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import java.util.ArrayList;
import java.util.List;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfra.class)
class IndexLifecycleTest {
    private RestClient client;
    private final List<String> output = new ArrayList<>();
    private final String alias = Es.uniqueAlias("lifecycle");
    private IndexLifecycle lifecycle;

    @BeforeEach
    void connect(ElasticsearchNode es) {
        client = IndexLifecycle.connect(es.httpUrl(), null, null);
        lifecycle = new IndexLifecycle(client, a -> Es.pageTemplateFor(alias), output::add);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
    }

    @Test
    void ensureInstallsTemplateAndFirstVersionOnceAndNeverMovesTheAlias() throws Exception {
        lifecycle.ensure(alias);
        assertThat(Es.aliasHolders(client, alias)).containsExactly(alias + "_v1");
        assertThat(Es.send(client, "GET", "/_template/" + alias, null).path(alias).path("version").asInt()).isPositive();

        lifecycle.init(alias);
        lifecycle.alias(alias, 2);
        output.clear();
        lifecycle.ensure(alias);
        assertThat(Es.aliasHolders(client, alias)).containsExactly(alias + "_v2");
        assertThat(output).as("nothing to do the second time").isEmpty();
    }

    @Test
    void ensureUpdatesAnOutdatedTemplate(ElasticsearchNode es) throws Exception {
        lifecycle.ensure(alias);
        IndexLifecycle changed = new IndexLifecycle(client,
                a -> Es.pageTemplateFor(alias).replace("\"refresh_interval\":\"1s\"", "\"refresh_interval\":\"2s\""), output::add);
        changed.ensure(alias);
        assertThat(output).contains("updated index template " + alias);
        changed.init(alias);
        assertThat(Es.send(client, "GET", "/" + alias + "_v2/_settings", null)
                .at("/" + alias + "_v2/settings/index/refresh_interval").asText()).isEqualTo("2s");
    }

    @Test
    void initAliasAndList() throws Exception {
        assertThat(lifecycle.list(alias)).isEmpty();
        assertThat(lifecycle.init(alias)).isEqualTo(alias + "_v1");
        assertThat(lifecycle.init(alias)).isEqualTo(alias + "_v2");
        assertThat(Es.send(client, "GET", "/" + alias + "_v2/_mapping", null).at("/" + alias + "_v2/mappings/dynamic").asText())
                .as("created from the template").isEqualTo("strict");

        lifecycle.alias(alias, 1);
        Es.send(client, "PUT", "/" + alias + "/_doc/p1?refresh=true", "{\"pageId\":\"p1\",\"pageTitle\":\"나이키\"}");
        assertThat(lifecycle.list(alias)).containsExactly(
                new IndexVersion(alias, 1, alias + "_v1", 1, true, true),
                new IndexVersion(alias, 2, alias + "_v2", 0, false, false));

        lifecycle.alias(alias, 2);
        assertThat(Es.aliasHolders(client, alias)).containsExactly(alias + "_v2");
        assertThat(lifecycle.list(null)).contains(new IndexVersion(alias, 2, alias + "_v2", 0, true, true));
    }

    @Test
    void errorsNameWhatIsWrong() throws Exception {
        lifecycle.init(alias);
        assertThatThrownBy(() -> lifecycle.alias(alias, 7))
                .isInstanceOf(IndexLifecycleException.class).hasMessageContaining("unknown version 7").hasMessageContaining(alias + "_v1");
        lifecycle.init(alias);
        assertThatThrownBy(() -> lifecycle.reindex(alias, 1, 2))
                .isInstanceOf(IndexLifecycleException.class).hasMessageContaining("points at nothing");
        assertThatThrownBy(() -> lifecycle.reindex(alias, 1, 1)).isInstanceOf(IndexLifecycleException.class);
        assertThatThrownBy(() -> lifecycle.reindex(alias, 1, 9)).hasMessageContaining("unknown version 9");
    }
}
