package io.webpipe.job.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.lucene.uid.Versions;
import org.elasticsearch.common.xcontent.DeprecationHandler;
import org.elasticsearch.common.xcontent.NamedXContentRegistry;
import org.elasticsearch.common.xcontent.XContentParser;
import org.elasticsearch.common.xcontent.XContentType;
import org.elasticsearch.index.VersionType;

/**
 * A bulk request sent as {@code _bulk} reads it: per action a line of metadata and, for an index action, its source as
 * it is. The high-level client's converter parses every source and writes it again, to be sure it is one line: a
 * twentieth of the job's CPU in the bench's profile. The job's sources are Jackson's compact JSON, one line already.
 * Only what the job's emitter sets is written (index, id, external versions); anything else is refused, not dropped.
 */
final class BulkBody {
    private static final JsonFactory JSON = new JsonFactory();

    private BulkBody() {}

    /** Sends {@code actions} in one request and reads the answer; a status other than 2xx throws. */
    static BulkResponse send(RestClient client, List<DocWriteRequest<?>> actions) throws IOException {
        Request request = new Request("POST", "/_bulk");
        byte[] body = write(actions);
        request.setEntity(new NByteArrayEntity(body, ContentType.APPLICATION_JSON));
        Response response = client.performRequest(request);
        try (InputStream in = response.getEntity().getContent();
                XContentParser parser = XContentType.JSON.xContent().createParser(
                        NamedXContentRegistry.EMPTY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, in)) {
            return BulkResponse.fromXContent(parser);
        }
    }

    static byte[] write(List<DocWriteRequest<?>> actions) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * actions.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.setRootValueSeparator(null);
            for (DocWriteRequest<?> action : actions) {
                writeAction(action, json);
                json.flush();
                out.write('\n');
                if (action instanceof IndexRequest) {
                    BytesRef source = ((IndexRequest) action).source().toBytesRef();
                    requireOneLine(source, action);
                    out.write(source.bytes, source.offset, source.length);
                    out.write('\n');
                }
            }
        }
        return out.toByteArray();
    }

    /** A raw newline would end the source early and make the rest of it an action line. */
    private static void requireOneLine(BytesRef source, DocWriteRequest<?> action) {
        for (int i = source.offset; i < source.offset + source.length; i++) {
            if (source.bytes[i] == '\n') {
                throw new IllegalArgumentException("the source of " + action + " is not one line");
            }
        }
    }

    private static void writeAction(DocWriteRequest<?> action, JsonGenerator json) throws IOException {
        boolean index = action instanceof IndexRequest;
        if (!(index || action instanceof DeleteRequest) || action.routing() != null
                || action.ifSeqNo() != org.elasticsearch.index.seqno.SequenceNumbers.UNASSIGNED_SEQ_NO
                || (index && (((IndexRequest) action).getPipeline() != null
                        || ((IndexRequest) action).getContentType() != XContentType.JSON))) {
            throw new IllegalArgumentException("the job's bulk body has no place for " + action);
        }
        json.writeStartObject();
        json.writeObjectFieldStart(action.opType().getLowercase());
        json.writeStringField("_index", action.index());
        if (Strings.hasLength(action.id())) {
            json.writeStringField("_id", action.id());
        }
        if (action.version() != Versions.MATCH_ANY) {
            json.writeNumberField("version", action.version());
        }
        if (action.versionType() != VersionType.INTERNAL) {
            json.writeStringField("version_type", VersionType.toString(action.versionType()));
        }
        json.writeEndObject();
        json.writeEndObject();
    }
}
