package io.webpipe.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.local.ElasticsearchNode;
import io.webpipe.local.LocalInfra;
import io.webpipe.schema.Indices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The command line: exit codes and messages. It runs on the real web-pages template, under the real alias name. */
@ExtendWith(LocalInfra.class)
class IndexCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void initAliasReindexList(ElasticsearchNode es) throws Exception {
        String url = es.httpUrl();
        try (RestClient client = IndexLifecycle.connect(url, null, null)) {
            new IndexLifecycle(client, s -> {}).ensure(Indices.PAGES);
            Es.send(client, "PUT", "/" + Indices.PAGES + "/_doc/p1?refresh=true&version=5&version_type=external_gte",
                    "{\"pageId\":\"p1\",\"pageTitle\":\"나이키 운동화\",\"views\":3}");
        }
        assertThat(run("list", Indices.PAGES, "--elasticsearch.url", url)).isEqualTo(IndexCli.OK);
        assertThat(stdout()).contains("web-pages_v1").contains("web-pages (read, write)");

        assertThat(run("init", Indices.PAGES, "--elasticsearch.url", url)).isEqualTo(IndexCli.OK);
        assertThat(stdout()).contains("created web-pages_v2");
        assertThat(run("reindex", Indices.PAGES, "--from", "1", "--to", "v2", "--elasticsearch.url", url)).isEqualTo(IndexCli.OK);
        assertThat(stdout()).contains("100% (1/1 documents").contains("done: web-pages -> web-pages_v2");
        assertThat(run("alias", Indices.PAGES, "1", "--elasticsearch.url", url)).isEqualTo(IndexCli.OK);
        assertThat(stdout()).contains("web-pages -> web-pages_v1 (was web-pages_v2)");
        assertThat(run("list", "--elasticsearch.url", url)).isEqualTo(IndexCli.OK);
        assertThat(stdout()).containsPattern("web-pages_v2 +2 +1 +\n");
    }

    @Test
    void unknownVersionAndMissingAliasFailWithOne(ElasticsearchNode es) {
        String name = Es.uniqueAlias("cli");
        assertThat(run("alias", name, "3", "--elasticsearch.url", es.httpUrl())).isEqualTo(IndexCli.FAILED);
        assertThat(stderr()).contains("unknown version 3 of " + name + "; existing: none");
    }

    @Test
    void elasticsearchDownExitsWithThree() {
        assertThat(run("list", "--elasticsearch.url", "http://127.0.0.1:9")).isEqualTo(IndexCli.UNREACHABLE);
        assertThat(stderr()).contains("unreachable");
    }

    @Test
    void badCommandLinesExitWithTwo() {
        assertThat(run()).isEqualTo(IndexCli.USAGE);
        assertThat(run("drop", "x")).isEqualTo(IndexCli.USAGE);
        assertThat(run("alias", "x")).isEqualTo(IndexCli.USAGE);
        assertThat(run("alias", "x", "two")).isEqualTo(IndexCli.USAGE);
        assertThat(run("reindex", "x", "--from", "1")).isEqualTo(IndexCli.USAGE);
        assertThat(run("init", "x", "--to", "1")).isEqualTo(IndexCli.USAGE);
        assertThat(run("list", "--elasticsearch.urll", "http://x")).isEqualTo(IndexCli.USAGE);
        assertThat(stderr()).contains("unknown command 'drop'").contains("a version is a positive integer").contains("usage:");
    }

    private int run(String... args) {
        out.reset();
        return IndexCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
