package io.webpipe.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.update.UpdateRequest;
import org.elasticsearch.common.lucene.uid.Versions;
import org.elasticsearch.common.xcontent.XContentType;
import org.elasticsearch.index.VersionType;
import org.junit.jupiter.api.Test;

class BulkBodyTest {
    private static final String SOURCE = "{\"title\":\"줄\\n바꿈 \\\"quoted\\\"\",\"n\":1}";

    @Test
    void elasticsearchsOwnBulkParserReadsBackWhatWasSent() throws Exception {
        List<DocWriteRequest<?>> sent = List.of(
                new IndexRequest("web-sessions").id("a \"quoted\" id / 한글").source(SOURCE.getBytes(StandardCharsets.UTF_8), XContentType.JSON)
                        .versionType(VersionType.EXTERNAL_GTE).version(1764756000123L),
                new DeleteRequest("web-sessions", "old").versionType(VersionType.EXTERNAL).version(1764756000124L),
                new DeleteRequest("web-pages", "unversioned"));

        byte[] body = BulkBody.write(sent);

        assertThat(new String(body, StandardCharsets.UTF_8).split("\n")).hasSize(4); // NDJSON: one source line
        BulkRequest read = new BulkRequest().add(body, 0, body.length, XContentType.JSON);
        assertThat(read.requests()).hasSize(3);
        IndexRequest index = (IndexRequest) read.requests().get(0);
        assertThat(index.index()).isEqualTo("web-sessions");
        assertThat(index.id()).isEqualTo("a \"quoted\" id / 한글");
        assertThat(index.versionType()).isEqualTo(VersionType.EXTERNAL_GTE);
        assertThat(index.version()).isEqualTo(1764756000123L);
        assertThat(index.source().utf8ToString()).isEqualTo(SOURCE);
        DeleteRequest delete = (DeleteRequest) read.requests().get(1);
        assertThat(delete.id()).isEqualTo("old");
        assertThat(delete.versionType()).isEqualTo(VersionType.EXTERNAL);
        assertThat(delete.version()).isEqualTo(1764756000124L);
        DeleteRequest unversioned = (DeleteRequest) read.requests().get(2);
        assertThat(unversioned.index()).isEqualTo("web-pages");
        assertThat(unversioned.versionType()).isEqualTo(VersionType.INTERNAL);
        assertThat(unversioned.version()).isEqualTo(Versions.MATCH_ANY);
    }

    @Test
    void whatTheBodyHasNoPlaceForIsRefusedNotDropped() {
        assertThatThrownBy(() -> BulkBody.write(List.of(new UpdateRequest("web-sessions", "a").doc("{}", XContentType.JSON))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BulkBody.write(List.of(new DeleteRequest("web-sessions", "a").routing("r"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BulkBody.write(List.of(new IndexRequest("web-sessions").id("a")
                .source("{\"a\":\n1}".getBytes(StandardCharsets.UTF_8), XContentType.JSON))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
