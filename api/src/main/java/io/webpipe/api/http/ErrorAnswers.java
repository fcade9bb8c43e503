package io.webpipe.api.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Service;

/**
 * Every failure answered with the JSON error body: an {@link ApiException} with its status, an
 * unknown route as a 404, anything else as a 500 whose detail goes to the log only.
 */
public final class ErrorAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
    private static final String INTERNAL_ERROR = "internal_error";
    private static final String INTERNAL_ERROR_MESSAGE = "the server failed to answer; the failure is logged";

    private ErrorAnswers() {}

    public static void register(Service http) {
        http.exception(ApiException.class, (e, req, res) -> {
            res.status(e.status());
            res.type(Json.CONTENT_TYPE);
            if (e.status() == 401) {
                res.header("WWW-Authenticate", "Bearer");
            }
            res.body(Json.error(e.error(), e.field(), e.getMessage()));
        });
        http.exception(Exception.class, (e, req, res) -> {
            LOG.error("Unexpected failure on {} {}", req.requestMethod(), req.pathInfo(), e);
            res.status(500);
            res.type(Json.CONTENT_TYPE);
            res.body(Json.error(INTERNAL_ERROR, null, INTERNAL_ERROR_MESSAGE));
        });
        http.notFound((req, res) -> {
            res.type(Json.CONTENT_TYPE);
            return Json.error("not_found", null, "no route " + req.requestMethod() + " " + req.pathInfo());
        });
        http.internalServerError((req, res) -> {
            res.type(Json.CONTENT_TYPE);
            return Json.error(INTERNAL_ERROR, null, INTERNAL_ERROR_MESSAGE);
        });
    }
}
