package io.webpipe.job.session;

import static io.webpipe.job.Events.click;
import static io.webpipe.job.Events.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.webpipe.job.JobConfig;
import io.webpipe.schema.EventContract;
import io.webpipe.schema.SessionDocument;
import io.webpipe.schema.WebEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionDocumentsTest {
    private static final long T0 = 1_795_564_800_000L;
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final SessionDocuments DOCUMENTS = SessionDocuments.of(JobConfig.load(Map.of()));

    @Test
    void userAgentsAreParsedWithTheLibrary() {
        UserAgents agents = new UserAgents();
        for (UserAgentSamples.Sample s : UserAgentSamples.ALL) {
            UserAgents.Parsed p = agents.parse(s.userAgent);
            assertThat(List.of(p.browser, p.os, p.deviceType, p.bot)).as(s.userAgent)
                    .containsExactly(s.browser, s.os, s.deviceType, s.bot);
        }
        assertThat(agents.parse(null).browser).isNull();
    }

    @Test
    void firstEventGivesReferrerUtmAndClientFields() {
        WebEvent first = pageView("e1", "v", T0, "https://shop.example/?utm_source=naver&utm_medium=cpc&utm_campaign=%EA%B2%A8%EC%9A%B8");
        first.referrer = "https://search.naver.com/";
        first.userAgent = UserAgentSamples.ALL.get(2).userAgent;
        first.ip = "203.0.113.77";
        first.userId = "u1";
        WebEvent second = click("e2", "v", T0 + 1000);
        second.ip = "198.51.100.1";

        SessionDocument doc = DOCUMENTS.build(List.of(first, second), NOW);

        assertThat(doc.referrer).isEqualTo("https://search.naver.com/");
        assertThat(doc.utmSource).isEqualTo("naver");
        assertThat(doc.utmMedium).isEqualTo("cpc");
        assertThat(doc.utmCampaign).isEqualTo("겨울");
        assertThat(doc.browser).isEqualTo("Mobile Safari");
        assertThat(doc.deviceType).isEqualTo(UserAgents.MOBILE);
        assertThat(doc.ip).isEqualTo("203.0.113.0");
        assertThat(doc.userId).isEqualTo("u1");
        assertThat(doc.updatedAt).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(doc.bounce).isFalse();
    }

    @Test
    void qualityFieldsComeFromTheEntryExitReferrerAndUserAgent() {
        WebEvent first = click("e0", "v", T0);
        first.url = "https://shop.example/?utm_source=naver&utm_medium=cpc";
        first.referrer = "https://M.Search.Naver.com/search.naver?query=x";
        WebEvent landing = pageView("e1", "v", T0 + 1000, "https://shop.example/products/%EB%82%98?id=1#top");
        WebEvent exit = pageView("e2", "v", T0 + 2000, "https://shop.example/cart?step=2");
        List.of(first, landing, exit).forEach(e -> e.userAgent = UserAgentSamples.ALL.get(0).userAgent);

        SessionDocument doc = DOCUMENTS.build(List.of(first, landing, exit), NOW);

        assertThat(doc.landingPage).isEqualTo("/products/%EB%82%98");
        assertThat(doc.exitPage).isEqualTo("/cart");
        assertThat(doc.referrerHost).isEqualTo("m.search.naver.com");
        assertThat(doc.channel).isEqualTo("Paid Search");
        assertThat(doc.engaged).as("two page views").isTrue();
        assertThat(doc.bot).isFalse();
        assertThat(doc.live).isFalse();
    }

    @Test
    void aSessionOfACrawlerIsABot() {
        WebEvent crawl = pageView("e1", "v", T0, "https://shop.example/");
        crawl.userAgent = "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)";

        SessionDocument doc = DOCUMENTS.build(List.of(crawl), NOW);

        assertThat(doc.bot).isTrue();
        assertThat(doc.channel).isEqualTo("Direct");
        assertThat(doc.engaged).isFalse();
        assertThat(doc.landingPage).isEqualTo("/").isEqualTo(doc.exitPage);
        assertThat(doc.referrerHost).isNull();
    }

    @Test
    void aConversionMakesAShortSessionEngaged() {
        WebEvent purchase = click("e2", "v", T0 + 500);
        purchase.type = "purchase";
        assertThat(DOCUMENTS.build(List.of(pageView("e1", "v", T0, "/"), purchase), NOW).engaged).isTrue();
        assertThat(DOCUMENTS.build(List.of(pageView("e1", "v", T0, "/"), click("e2", "v", T0 + 10_000)), NOW).engaged).isFalse();
        assertThat(DOCUMENTS.build(List.of(pageView("e1", "v", T0, "/"), click("e2", "v", T0 + 10_001)), NOW).engaged).isTrue();
    }

    @Test
    void bounceIsOnePageViewAndNothingElse() {
        assertThat(DOCUMENTS.build(List.of(pageView("e1", "v", T0, "/")), NOW).bounce).isTrue();
        assertThat(DOCUMENTS.build(List.of(click("e1", "v", T0)), NOW).bounce).isFalse();
        assertThat(DOCUMENTS.build(List.of(pageView("e1", "v", T0, "/"), pageView("e2", "v", T0 + 1, "/")), NOW).bounce).isFalse();
    }

    @Test
    void pagesAreCappedAndEventTypesCounted() {
        List<WebEvent> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            events.add(pageView(String.format("e%03d", i), "v", T0 + i, "/p" + i));
        }
        WebEvent custom = click("c", "v", T0 + 500);
        custom.type = "video.play";
        events.add(custom);

        SessionDocument doc = DOCUMENTS.build(events, NOW);

        assertThat(doc.pages).hasSize(SessionDocument.MAX_PAGES).startsWith("/p0", "/p1");
        assertThat(doc.pageViews).isEqualTo(120);
        assertThat(doc.exitUrl).isEqualTo("/p119");
        assertThat(doc.eventTypes).extracting(t -> t.type + "=" + t.count).containsExactly("page_view=120", "video.play=1");
        assertThat(doc.durationMs).isEqualTo(500);
    }

    @Test
    void absurdUtmValuesAreCut() {
        WebEvent e = pageView("e1", "v", T0, "/?utm_source=" + "x".repeat(40_000));
        assertThat(DOCUMENTS.build(List.of(e), NOW).utmSource).hasSize(EventContract.MAX_UTM_LENGTH).endsWith(EventContract.CUT_MARKER);
    }

    @Test
    void eventTypeNamesNeverBecomeFieldsAndTheirListIsCapped() {
        List<WebEvent> events = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            WebEvent e = click(String.format("e%04d", i), "v", T0 + i);
            e.type = "custom." + i + (i < 3 ? "" : "-rare");
            events.add(e);
            if (i < 3) {
                WebEvent same = click("again" + i, "v", T0 + i);
                same.type = e.type;
                events.add(same);
            }
        }
        SessionDocument doc = DOCUMENTS.build(events, NOW);
        assertThat(doc.eventTypes).hasSize(EventContract.MAX_SESSION_EVENT_TYPES);
        assertThat(doc.eventTypes.get(0).count).isEqualTo(2);
        SessionDocument.EventTypeCount other = doc.eventTypes.get(doc.eventTypes.size() - 1);
        assertThat(other.type).isEqualTo(EventContract.OTHER_TYPES);
        assertThat(doc.eventTypes.stream().mapToInt(t -> t.count).sum()).isEqualTo(1203);
    }

    /** Every field at its limit: the largest session document the job can write stays under the documented maximum. */
    @Test
    void theWorstCaseDocumentIsUnderTheDocumentLimit() throws Exception {
        List<WebEvent> events = new ArrayList<>();
        String wide = "\uD83D\uDE00".repeat(20_000); // 4 UTF-8 bytes per character after cutting
        for (int i = 0; i < 2 * SessionDocument.MAX_PAGES + EventContract.MAX_SESSION_EVENT_TYPES; i++) {
            WebEvent e = pageView(String.format("%0128d", i), "v".repeat(EventContract.MAX_ID_LENGTH), T0 + i,
                    EventContract.cut("https://x/?utm_source=" + wide, EventContract.MAX_URL_LENGTH));
            e.type = i % 2 == 0 ? EventContract.PAGE_VIEW : String.format("%064d", i);
            e.pageTitle = EventContract.cut(wide, EventContract.MAX_TITLE_LENGTH);
            e.referrer = EventContract.cut(wide, EventContract.MAX_URL_LENGTH);
            e.userAgent = EventContract.cut(wide, EventContract.MAX_USER_AGENT_LENGTH);
            e.userId = "u".repeat(EventContract.MAX_ID_LENGTH);
            e.ip = "0000:0000:0000:0000:0000:ffff:255.255.255.255";
            events.add(e);
        }
        SessionDocument doc = DOCUMENTS.build(events, NOW);
        byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(doc);
        assertThat(doc.pages.size()).isEqualTo(SessionDocument.MAX_PAGES);
        assertThat(doc.eventTypes.size()).isEqualTo(EventContract.MAX_SESSION_EVENT_TYPES);
        assertThat(json.length).isLessThan(EventContract.MAX_DOCUMENT_BYTES);
    }

    @Test
    void ipAddressesAreAnonymised() {
        assertThat(IpAnonymizer.anonymize("192.168.10.77")).isEqualTo("192.168.10.0");
        assertThat(IpAnonymizer.anonymize("2001:db8:abcd:12:34::1")).isEqualTo("2001:db8:abcd:0:0:0:0:0");
        assertThat(IpAnonymizer.anonymize("::ffff:10.1.2.3")).isEqualTo("10.1.2.0");
        assertThat(IpAnonymizer.anonymize("300.1.1.1")).isNull();
        assertThat(IpAnonymizer.anonymize("example.com")).isNull();
        assertThat(IpAnonymizer.anonymize("not:an:ip:zz")).isNull();
        assertThat(IpAnonymizer.anonymize(null)).isNull();
    }

    @Test
    void urlQueryToleratesMalformedUrls() {
        assertThat(UrlQuery.parameter("/a?utm_source=x#frag", "utm_source")).isEqualTo("x");
        assertThat(UrlQuery.parameter("/a?utm_source=%zz", "utm_source")).isEqualTo("%zz");
        assertThat(UrlQuery.parameter("/a?utm_source=", "utm_source")).isNull();
        assertThat(UrlQuery.parameter("/a", "utm_source")).isNull();
        assertThat(UrlQuery.parameter(null, "utm_source")).isNull();
    }
}
