package io.webpipe.job.sink;

/**
 * One write to Elasticsearch: upsert a document (full JSON source) or delete one by id.
 * A Flink POJO, so the window function and the sink exchange no generic types.
 */
public class DocumentWrite {
    public enum Action { UPSERT, DELETE }

    public String index;
    public String id;
    public Action action;
    /** The document source for {@link Action#UPSERT}; null for deletes. */
    public String json;

    public DocumentWrite() {}

    public static DocumentWrite upsert(String index, String id, String json) {
        DocumentWrite w = new DocumentWrite();
        w.index = index;
        w.id = id;
        w.action = Action.UPSERT;
        w.json = json;
        return w;
    }

    public static DocumentWrite delete(String index, String id) {
        DocumentWrite w = new DocumentWrite();
        w.index = index;
        w.id = id;
        w.action = Action.DELETE;
        return w;
    }

    @Override
    public String toString() {
        return action + " " + index + "/" + id;
    }
}
