package io.webpipe.job.session;

import java.util.Locale;
import ua_parser.CachingParser;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Browser, operating system and device type of a user-agent string, parsed with uap-java (the
 * maintained ua-parser regex collection). Building the parser loads that collection, so build one
 * per task and reuse it; it caches recent user agents.
 */
public final class UserAgents {
    public static final String DESKTOP = "desktop";
    public static final String MOBILE = "mobile";
    public static final String TABLET = "tablet";
    public static final String BOT = "bot";

    private final Parser parser = new CachingParser(10_000);

    /** What a session document shows of a user agent. */
    public static final class Parsed {
        public final String browser;
        public final String os;
        public final String deviceType;

        Parsed(String browser, String os, String deviceType) {
            this.browser = browser;
            this.os = os;
            this.deviceType = deviceType;
        }
    }

    public Parsed parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new Parsed(null, null, null);
        }
        Client c = parser.parse(userAgent);
        return new Parsed(c.userAgent.family, c.os.family, deviceType(c));
    }

    /** uap-java names the device family; the document wants its broad kind. */
    private static String deviceType(Client c) {
        String device = c.device.family.toLowerCase(Locale.ROOT);
        String os = c.os.family.toLowerCase(Locale.ROOT);
        if (device.equals("spider")) {
            return BOT;
        }
        if (device.contains("ipad") || device.contains("tablet") || device.contains("kindle")
                || device.contains("galaxy tab")) {
            return TABLET;
        }
        if (os.equals("ios") || os.equals("android") || os.contains("windows phone")
                || os.equals("blackberry os") || (!device.equals("other") && !device.equals("mac"))) {
            return MOBILE;
        }
        return DESKTOP;
    }
}
