package io.webpipe.job.time;

import io.webpipe.job.source.DecodedRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Watermarks for one Kafka partition (split) that keep event time moving when the input is quiet.
 *
 * <ul>
 *   <li>While events flow: bounded out-of-orderness, {@code maxTimestamp - outOfOrderness - 1}.
 *   <li>When the split has been quiet for {@code q}: {@code maxTimestamp - outOfOrderness - 1 + q},
 *       so an open session closes about {@code gap + outOfOrderness} after its last event even if
 *       nothing else arrives (a site at night, a demo).
 *   <li>A split that has never seen an event marks itself idle after {@code idleTimeout}, so an
 *       empty partition does not hold back the others.
 * </ul>
 *
 * <p>"Quiet" is measured on the input-activity clock Flink hands to each split, which stands still
 * while the source is backpressured: replaying a backlog faster than it can be processed never
 * turns into wall-clock lateness. Emitted watermarks never go backwards.
 */
public class SessionWatermarks implements WatermarkGenerator<DecodedRecord> {
    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    private final RelativeClock activityClock;
    private final long createdAt;

    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt;
    private long lastEmitted = Long.MIN_VALUE;
    private boolean idle;

    public SessionWatermarks(Duration outOfOrderness, Duration idleTimeout, RelativeClock activityClock) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.idleTimeoutMs = idleTimeout.toMillis();
        this.activityClock = activityClock;
        this.createdAt = activityClock.relativeTimeMillis();
    }

    /** Timestamps from the decoded event; rejected records neither carry event time nor move it. */
    public static WatermarkStrategy<DecodedRecord> strategy(Duration outOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<DecodedRecord>forGenerator(
                        ctx -> new SessionWatermarks(outOfOrderness, idleTimeout, ctx.getInputActivityClock()))
                .withTimestampAssigner((record, kafkaTimestamp) ->
                        record.isAccepted() ? record.event.timestamp : kafkaTimestamp);
    }

    @Override
    public void onEvent(DecodedRecord record, long eventTimestamp, WatermarkOutput output) {
        if (!record.isAccepted()) {
            return;
        }
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventAt = activityClock.relativeTimeMillis();
        if (idle) {
            idle = false;
            output.markActive();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = activityClock.relativeTimeMillis();
        if (maxTimestamp == Long.MIN_VALUE) {
            if (!idle && now - createdAt >= idleTimeoutMs) {
                idle = true;
                output.markIdle();
            }
            return;
        }
        long quiet = Math.max(0, now - lastEventAt);
        long watermark = maxTimestamp - outOfOrdernessMs - 1 + quiet;
        if (watermark > lastEmitted) {
            lastEmitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
