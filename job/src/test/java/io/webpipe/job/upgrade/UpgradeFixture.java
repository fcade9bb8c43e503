package io.webpipe.job.upgrade;

import io.webpipe.job.JobConfig;
import io.webpipe.job.e2e.TestJob;

/** Where the v1 fixture lives and the job configuration both runs use (only the parallelism differs). */
final class UpgradeFixture {
    /** The canonical savepoint of the v1 job, relative to the test resources. */
    static final String SAVEPOINT = "upgrade/v1-savepoint";
    /** The session documents v1 had written to Elasticsearch when it stopped: {@code {id: source}}. */
    static final String ELASTICSEARCH_DOCUMENTS = "upgrade/v1-elasticsearch.json";

    private UpgradeFixture() {}

    static JobConfig config(String bootstrapServers, String elasticsearchUrl, int parallelism) {
        return TestJob.config(bootstrapServers, elasticsearchUrl, UpgradeStream.TOPIC,
                "--session.gap", UpgradeStream.GAP.toMinutes() + "min",
                "--checkpoint.interval", "500ms",
                "--sink.bulk.interval", "200ms",
                "--parallelism", Integer.toString(parallelism));
    }
}
