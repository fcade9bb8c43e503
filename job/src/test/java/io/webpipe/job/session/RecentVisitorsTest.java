package io.webpipe.job.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentVisitorsTest {
    private final List<String> written = new ArrayList<>();
    private final RecentVisitors recent = new RecentVisitors(2, (visitorId, sessions) -> written.add(visitorId));

    @Test
    void aChangedVisitorIsWrittenWhenItLeavesOrAtTheFlushAndOnlyOnce() {
        recent.keep("read", new VisitorSessions());
        recent.change("changed", new VisitorSessions());
        recent.change("changed", new VisitorSessions()); // a burst: still one write
        recent.change("newest", new VisitorSessions()); // "read" leaves, unchanged: nothing to write
        assertThat(written).isEmpty();

        recent.keep("another", new VisitorSessions()); // "changed" leaves: written back
        assertThat(written).containsExactly("changed");
        assertThat(recent.get("changed")).isNull();

        recent.flush();
        recent.flush();
        assertThat(written).containsExactly("changed", "newest");
        assertThat(recent.get("newest")).isNotNull();
    }

    @Test
    void aRemovedVisitorIsNeverWrittenBack() {
        recent.change("cleared", new VisitorSessions());
        recent.remove("cleared");
        recent.flush();
        assertThat(written).isEmpty();
        assertThat(recent.get("cleared")).isNull();
    }
}
