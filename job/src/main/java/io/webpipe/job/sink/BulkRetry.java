package io.webpipe.job.sink;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.bulk.BulkItemResponse;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.rest.RestStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a bulk request until Elasticsearch has answered every item for good: while the node is
 * unreachable or answers 429/5xx, for the whole request or for single items (a shard still
 * recovering after a restart), the request (or just its retryable items) is sent again with capped
 * exponential backoff, without limit. An outage therefore backpressures the job instead of failing it;
 * what Elasticsearch refuses for a reason retrying cannot fix stays in the answer for
 * {@link RefusedWrites}.
 */
public final class BulkRetry implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BulkRetry.class);

    private final Duration initialDelay;
    private final Duration maxDelay;

    public BulkRetry(Duration initialDelay, Duration maxDelay) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Whether an item (or a whole request) that failed with this status may succeed when sent again. */
    public static boolean isRetryable(RestStatus status) {
        return isRetryable(status.getStatus());
    }

    private static boolean isRetryable(int status) {
        return status == RestStatus.TOO_MANY_REQUESTS.getStatus() || status >= 500;
    }

    /** The answer to every item of {@code request}, in its order; only non-retryable failures remain. */
    public BulkResponse send(RestHighLevelClient client, BulkRequest request) {
        Attempts attempts = new Attempts(request);
        RetryPolicy<BulkResponse> policy = RetryPolicy.<BulkResponse>builder()
                .handleIf(BulkRetry::isRetryable)
                .withBackoff(initialDelay, maxDelay)
                .withMaxRetries(-1)
                .onRetry(e -> LOG.warn("Elasticsearch bulk of {} actions: retry {} ({})", attempts.pending.size(),
                        e.getAttemptCount(), e.getLastException() == null ? "" : e.getLastException().toString()))
                .build();
        return Failsafe.with(policy).get(() -> attempts.next(client));
    }

    private static boolean isRetryable(Throwable e) {
        if (e instanceof ResponseException) { // an answer, not a lost connection: its status decides
            return isRetryable(((ResponseException) e).getResponse().getStatusLine().getStatusCode());
        }
        return e instanceof IOException || e instanceof RetryableItems;
    }

    /** Sends what is still pending and merges the answers into one response in the original order. */
    private static final class Attempts {
        private final BulkRequest request;
        private final BulkItemResponse[] answers;
        private List<Integer> pending = new ArrayList<>();
        private long tookMillis;

        Attempts(BulkRequest request) {
            this.request = request;
            this.answers = new BulkItemResponse[request.numberOfActions()];
            for (int i = 0; i < answers.length; i++) {
                pending.add(i);
            }
        }

        BulkResponse next(RestHighLevelClient client) throws IOException {
            List<DocWriteRequest<?>> attempt = new ArrayList<>(pending.size());
            pending.forEach(i -> attempt.add(request.requests().get(i)));
            BulkResponse response = BulkBody.send(client.getLowLevelClient(), attempt);
            tookMillis += response.getTook().millis();
            List<Integer> retry = new ArrayList<>();
            BulkItemResponse[] items = response.getItems();
            for (int k = 0; k < items.length; k++) {
                int original = pending.get(k);
                BulkItemResponse item = items[k];
                answers[original] = item.isFailed()
                        ? new BulkItemResponse(original, item.getOpType(), item.getFailure())
                        : new BulkItemResponse(original, item.getOpType(), (org.elasticsearch.action.DocWriteResponse) item.getResponse());
                if (item.isFailed() && isRetryable(item.getFailure().getStatus())) {
                    retry.add(original);
                }
            }
            pending = retry;
            if (!retry.isEmpty()) {
                throw new RetryableItems(retry.size(), items[0].isFailed() ? items[0].getFailureMessage() : "");
            }
            return new BulkResponse(answers, tookMillis);
        }
    }

    /** Some items failed with a retryable status: send those again. */
    static final class RetryableItems extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryableItems(int count, String example) {
            super(count + " items failed with a retryable status " + example, null, false, false);
        }
    }
}
