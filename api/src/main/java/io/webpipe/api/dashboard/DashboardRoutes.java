package io.webpipe.api.dashboard;

import io.webpipe.api.http.ApiException;
import io.webpipe.api.http.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import spark.Response;
import spark.Service;

/**
 * The dashboard page at {@code /} and its static files under {@code /dashboard/}: HTML, CSS and JavaScript of this
 * jar and the chart library from its WebJar, nothing from elsewhere. They hold no data (the page reads the API
 * with the visitor's key), so they need no key and have no rate limit; the policy allows this origin only.
 */
public final class DashboardRoutes {
    /** Same origin only: every script, style, image and API call of the page is served from here. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String OWN = "/io/webpipe/api/dashboard/";
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/" + webJarVersion("uplot") + "/dist/";

    private final byte[] page = Resources.read(OWN + "index.html");
    private final Map<String, Asset> assets = Map.of(
            "dashboard.js", new Asset(OWN + "dashboard.js", "application/javascript; charset=utf-8"),
            "dashboard.css", new Asset(OWN + "dashboard.css", "text/css; charset=utf-8"),
            "uPlot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "application/javascript; charset=utf-8"),
            "uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

    public void register(Service http) {
        // The page reads its query itself (lang, range, search box): the same bytes whatever it holds.
        http.get("/", (req, res) -> {
            headers(res, "text/html; charset=utf-8");
            return page;
        });
        http.get("/dashboard/:asset", (req, res) -> {
            Asset asset = assets.get(req.params("asset"));
            if (asset == null) {
                throw ApiException.notFound("no dashboard file '" + req.params("asset") + "'; there are " + assets.keySet());
            }
            headers(res, asset.type);
            return asset.bytes;
        });
    }

    private static void headers(Response res, String type) {
        res.type(type);
        res.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        res.header("X-Content-Type-Options", "nosniff");
        res.header("Referrer-Policy", "no-referrer");
        res.header("Cache-Control", "no-cache"); // revalidate: a new release shows at once
    }

    /** The version of a WebJar on the classpath, from its Maven metadata: the parent pom names it once. */
    private static String webJarVersion(String artifact) {
        String name = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the WebJar " + artifact + " is not on the classpath (" + name + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Asset {
        final byte[] bytes;
        final String type;

        Asset(String resource, String type) {
            this.bytes = Resources.read(resource);
            this.type = type;
        }
    }
}
