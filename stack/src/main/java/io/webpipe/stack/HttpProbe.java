package io.webpipe.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Whether a URL answers 200 (the readiness check of the parts that have no ready file), and what it answers. */
final class HttpProbe {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    boolean ok(String url) {
        return get(url, HttpResponse.BodyHandlers.discarding()).isPresent();
    }

    /** The body of a 200 answer; empty when the URL answers anything else or nothing. */
    Optional<String> text(String url) {
        return get(url, HttpResponse.BodyHandlers.ofString()).map(HttpResponse::body);
    }

    /** The answer if it is a 200. */
    private <T> Optional<HttpResponse<T>> get(String url, HttpResponse.BodyHandler<T> body) {
        try {
            HttpResponse<T> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), body);
            return r.statusCode() == 200 ? Optional.of(r) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
