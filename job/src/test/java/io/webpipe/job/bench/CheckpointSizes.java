package io.webpipe.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sizes of one completed checkpoint as Flink's REST API reports them. {@code stateSize} is the full size of the
 * state the checkpoint consists of (with RocksDB's incremental checkpoints: every SST file it refers to, new or
 * shared with earlier checkpoints): the figure to divide by open sessions. {@code checkpointedSize} is what this
 * checkpoint uploaded anew (the incremental part).
 *
 * @param byOperator {@code stateSize} and {@code checkpointedSize} per job vertex, by the vertex's name
 */
record CheckpointSizes(long id, long triggeredAtMs, long stateSize, long checkpointedSize, Map<String, Sizes> byOperator) {

    record Sizes(long stateSize, long checkpointedSize) {}

    /**
     * From {@code /jobs/:id/checkpoints/details/:cid} and the vertices of {@code /jobs/:id} (which name the ids the
     * details use).
     */
    static CheckpointSizes parse(JsonNode details, JsonNode job) {
        Map<String, String> names = new LinkedHashMap<>();
        job.path("vertices").forEach(v -> names.put(v.path("id").asText(), v.path("name").asText()));
        Map<String, Sizes> byOperator = new LinkedHashMap<>();
        names.forEach((id, name) -> {
            JsonNode task = details.path("tasks").path(id);
            if (!task.isMissingNode()) {
                byOperator.put(name, new Sizes(task.path("state_size").asLong(), task.path("checkpointed_size").asLong()));
            }
        });
        return new CheckpointSizes(details.path("id").asLong(), details.path("trigger_timestamp").asLong(),
                details.path("state_size").asLong(), details.path("checkpointed_size").asLong(), byOperator);
    }
}
