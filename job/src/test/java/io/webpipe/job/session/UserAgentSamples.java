package io.webpipe.job.session;

import java.util.List;

/** Real user-agent strings and what the session document must show for each. */
public final class UserAgentSamples {
    public static final class Sample {
        public final String userAgent;
        public final String browser;
        public final String os;
        public final String deviceType;
        /** A crawler or a headless browser. */
        public final boolean bot;

        Sample(String userAgent, String browser, String os, String deviceType, boolean bot) {
            this.userAgent = userAgent;
            this.browser = browser;
            this.os = os;
            this.deviceType = deviceType;
            this.bot = bot;
        }
    }

    public static final List<Sample> ALL = List.of(
            new Sample("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
                    "Chrome", "Windows", UserAgents.DESKTOP, false),
            new Sample("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:120.0) Gecko/20100101 Firefox/120.0",
                    "Firefox", "Mac OS X", UserAgents.DESKTOP, false),
            new Sample("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
                    "Mobile Safari", "iOS", UserAgents.MOBILE, false),
            new Sample("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
                    "Mobile Safari", "iOS", UserAgents.TABLET, false),
            new Sample("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36",
                    "Chrome Mobile", "Android", UserAgents.MOBILE, false),
            new Sample("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                    "Googlebot", "Other", UserAgents.BOT, true),
            new Sample("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
                    "bingbot", "Other", UserAgents.BOT, true),
            // Naver's and Daum's crawlers.
            new Sample("Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)",
                    "Yeti", "Other", UserAgents.BOT, true),
            new Sample("Mozilla/5.0 (compatible; Daum/4.1; +http://cs.daum.net/faq/15/4118.html?faqId=28966)",
                    "Other", "Other", UserAgents.BOT, true),
            // A headless browser: the parser names it, but its device is a desktop.
            new Sample("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36",
                    "HeadlessChrome", "Linux", UserAgents.DESKTOP, true),
            new Sample("Mozilla/5.0 (Linux; Android 13; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
                    "Samsung Internet", "Android", UserAgents.MOBILE, false));

    private UserAgentSamples() {}
}
