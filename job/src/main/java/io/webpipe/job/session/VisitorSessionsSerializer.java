package io.webpipe.job.session;

import static io.webpipe.job.types.Utf8Fields.readLength;
import static io.webpipe.job.types.Utf8Fields.readString;
import static io.webpipe.job.types.Utf8Fields.readStrings;
import static io.webpipe.job.types.Utf8Fields.writeLength;
import static io.webpipe.job.types.Utf8Fields.writeString;
import static io.webpipe.job.types.Utf8Fields.writeStrings;

import io.webpipe.job.types.FieldsSerializer;
import io.webpipe.schema.EventContract;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link Sessionize}'s state. With RocksDB every event reads and writes a visitor's whole
 * {@link VisitorSessions}, and Flink's POJO serializer spent most of that in reflection and in writing strings one
 * character at a time (the summary holds ~20 strings and the page urls: a third of the job's CPU in the RocksDB
 * profile); here fields are written in a fixed order and strings as UTF-8 byte arrays in one piece ({@link
 * io.webpipe.job.types.Utf8Fields}).
 *
 * <p>Every value starts with its format's number, so that a later format can still read values written in this
 * one. A field added to a state class must be added here (and the format number raised); {@code
 * VisitorSessionsSerializerTest} fills every field of every class at random and fails on one left out.
 */
public final class VisitorSessionsSerializer extends FieldsSerializer<VisitorSessions> {
    private static final long serialVersionUID = 1L;

    public static final VisitorSessionsSerializer INSTANCE = new VisitorSessionsSerializer();

    private static final int FORMAT = 1;

    private VisitorSessionsSerializer() {}

    @Override
    public VisitorSessions createInstance() {
        return new VisitorSessions();
    }

    @Override
    public void serialize(VisitorSessions visitor, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(visitor.timer);
        out.writeLong(visitor.tick);
        writeLength(visitor.sessions.length, out);
        for (OpenSession session : visitor.sessions) {
            out.writeBoolean(session.finalWritten);
            out.writeBoolean(session.liveDue);
            writeSummary(session.summary, out);
        }
        writeLength(visitor.written.length, out);
        for (WrittenSession written : visitor.written) {
            writeString(written.id, out);
            out.writeLong(written.start);
            out.writeLong(written.end);
            out.writeLong(written.version);
        }
    }

    @Override
    public VisitorSessions deserialize(DataInputView in) throws IOException {
        readFormat(in, FORMAT, "a visitor's sessions");
        VisitorSessions visitor = new VisitorSessions();
        visitor.timer = in.readLong();
        visitor.tick = in.readLong();
        visitor.sessions = new OpenSession[readLength(in)];
        for (int i = 0; i < visitor.sessions.length; i++) {
            OpenSession session = new OpenSession();
            session.finalWritten = in.readBoolean();
            session.liveDue = in.readBoolean();
            session.summary = readSummary(in);
            visitor.sessions[i] = session;
        }
        visitor.written = new WrittenSession[readLength(in)];
        for (int i = 0; i < visitor.written.length; i++) {
            visitor.written[i] = new WrittenSession(readString(in), in.readLong(), in.readLong(), in.readLong());
        }
        return visitor;
    }

    @Override
    public TypeSerializerSnapshot<VisitorSessions> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeSummary(SessionSummary s, DataOutputView out) throws IOException {
        writeString(s.visitorId, out);
        out.writeInt(s.eventCount);
        out.writeInt(s.pageViews);
        out.writeLong(s.firstTime);
        writeString(s.firstEventId, out);
        writeString(s.firstUrl, out);
        writeString(s.referrer, out);
        out.writeLong(s.lastTime);
        writeString(s.lastEventId, out);
        out.writeLong(s.userIdTime);
        writeString(s.userIdEventId, out);
        writeString(s.userId, out);
        out.writeLong(s.userAgentTime);
        writeString(s.userAgentEventId, out);
        writeString(s.userAgent, out);
        out.writeLong(s.ipTime);
        writeString(s.ipEventId, out);
        writeString(s.ip, out);
        out.writeLong(s.entryTime);
        writeString(s.entryEventId, out);
        writeString(s.entryUrl, out);
        writeString(s.entryTitle, out);
        out.writeLong(s.exitTime);
        writeString(s.exitEventId, out);
        writeString(s.exitUrl, out);
        writeString(s.exitTitle, out);
        writeLength(s.pageTimes.length, out);
        for (long t : s.pageTimes) {
            out.writeLong(t);
        }
        writeStrings(s.pageEventIds, out);
        writeStrings(s.pageUrls, out);
        writeStrings(s.types, out);
        writeLength(s.typeCounts.length, out);
        for (int count : s.typeCounts) {
            out.writeInt(count);
        }
    }

    private static SessionSummary readSummary(DataInputView in) throws IOException {
        SessionSummary s = new SessionSummary();
        s.visitorId = readString(in);
        s.eventCount = in.readInt();
        s.pageViews = in.readInt();
        s.firstTime = in.readLong();
        s.firstEventId = readString(in);
        s.firstUrl = readString(in);
        s.referrer = readString(in);
        s.lastTime = in.readLong();
        s.lastEventId = readString(in);
        s.userIdTime = in.readLong();
        s.userIdEventId = readString(in);
        s.userId = readString(in);
        s.userAgentTime = in.readLong();
        s.userAgentEventId = readString(in);
        s.userAgent = readString(in);
        s.ipTime = in.readLong();
        s.ipEventId = readString(in);
        s.ip = readString(in);
        s.entryTime = in.readLong();
        s.entryEventId = readString(in);
        s.entryUrl = readString(in);
        s.entryTitle = readString(in);
        s.exitTime = in.readLong();
        s.exitEventId = readString(in);
        s.exitUrl = readString(in);
        s.exitTitle = readString(in);
        s.pageTimes = new long[readLength(in)];
        for (int i = 0; i < s.pageTimes.length; i++) {
            s.pageTimes[i] = in.readLong();
        }
        s.pageEventIds = readStrings(in);
        s.pageUrls = readStrings(in);
        s.types = readStrings(in);
        for (int i = 0; i < s.types.length; i++) {
            s.types[i] = EventContract.commonType(s.types[i]);
        }
        s.typeCounts = new int[readLength(in)];
        for (int i = 0; i < s.typeCounts.length; i++) {
            s.typeCounts[i] = in.readInt();
        }
        return s;
    }

    /** The serializer has no configuration: any snapshot of it restores with this one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<VisitorSessions> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
