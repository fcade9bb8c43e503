package io.webpipe.job.session;

import io.webpipe.schema.WebEvent;

/** An event that arrived after its session was final, as written to the late topic (JSON). A Flink POJO. */
public class LateEvent {
    public String reason;
    /** The operator's event time (ISO-8601 UTC) when the event arrived. */
    public String watermark;
    public WebEvent event;

    public LateEvent() {}

    public LateEvent(String reason, String watermark, WebEvent event) {
        this.reason = reason;
        this.watermark = watermark;
        this.event = event;
    }
}
