package io.webpipe.job.session;

import io.webpipe.job.quality.LruCache;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * Browser, operating system, device type and bot flag of a user-agent string, parsed with uap-java (the
 * maintained ua-parser regex collection). The collection is loaded once per class loader and shared by every
 * instance (uap-java's parser is immutable once built): loading it took most of a second of each task's start in a
 * new TaskManager, four times over (two functions per subtask). The first instance starts loading it on a thread of its
 * own, so that it overlaps the restore of the task's state: a restarted job's first due timer wrote a session document,
 * and waited for the collection, before the task ran. An instance is not thread-safe (one per task): it keeps
 * what it made of the 10,000 most recent user agents (an LRU map), so the regex collection runs once per distinct
 * user agent, not once per event or session.
 */
public final class UserAgents {
    public static final String DESKTOP = "desktop";
    public static final String MOBILE = "mobile";
    public static final String TABLET = "tablet";
    public static final String BOT = "bot";

    /** The parser's device family of crawlers (its regexes know them, by name and by behaviour). */
    static final String SPIDER_DEVICE = "Spider";
    /** The parser's browser families of headless (scripted) browsers, which it names but does not mark as spiders. */
    static final Set<String> HEADLESS_BROWSERS = Set.of("HeadlessChrome", "PhantomJS");

    private static final Logger LOG = LoggerFactory.getLogger(UserAgents.class);
    private static final AtomicBoolean LOADING = new AtomicBoolean();

    private final Map<String, Parsed> recent = new LruCache<>(10_000);

    /** Built once, by the loading thread or by a task that needs it first; the others wait for it (class initialisation). */
    private static final class SharedParser {
        static final Parser INSTANCE = load();

        private static Parser load() {
            long start = System.nanoTime();
            Parser parser = new Parser();
            LOG.info("User-agent regex collection loaded in {} ms", (System.nanoTime() - start) / 1_000_000);
            return parser;
        }

        static void initialize() {} // calling it initializes the class
    }

    public UserAgents() {
        if (LOADING.compareAndSet(false, true)) {
            Thread loader = new Thread(SharedParser::initialize, "user-agent-regexes");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** What a session document shows of a user agent. */
    public static final class Parsed {
        public final String browser;
        public final String os;
        public final String deviceType;
        /** A crawler (the parser's device family "Spider") or a headless browser. */
        public final boolean bot;

        Parsed(String browser, String os, String deviceType, boolean bot) {
            this.browser = browser;
            this.os = os;
            this.deviceType = deviceType;
            this.bot = bot;
        }
    }

    public Parsed parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new Parsed(null, null, null, false);
        }
        return recent.computeIfAbsent(userAgent, this::parseAnew);
    }

    private Parsed parseAnew(String userAgent) {
        Client c = SharedParser.INSTANCE.parse(userAgent);
        boolean bot = c.device.family.equals(SPIDER_DEVICE) || HEADLESS_BROWSERS.contains(c.userAgent.family);
        return new Parsed(c.userAgent.family, c.os.family, deviceType(c), bot);
    }

    /** uap-java names the device family; the document wants its broad kind. */
    private static String deviceType(Client c) {
        String device = c.device.family.toLowerCase(Locale.ROOT);
        String os = c.os.family.toLowerCase(Locale.ROOT);
        if (c.device.family.equals(SPIDER_DEVICE)) {
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
