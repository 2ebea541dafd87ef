package io.sessioncluster.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One user of an application, through the load balancer or straight to a node: keeps the {@code JSESSIONID} cookie
 * as a browser would, and follows no redirect (the scenarios check where it points).
 */
final class Browser {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]*)");

    /** One answer: the cart servlet's, or a page of the login application, each a {@code name: value} per line. */
    record Page(int status, String body, String setCookie, boolean retryAfter, String location) {

        String node() {
            return line("node");
        }

        String sessionId() {
            return line("session");
        }

        String line(String name) {
            for (String line : body.split("\n")) {
                if (line.startsWith(name + ": ")) {
                    return line.substring(name.length() + 2).trim();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "HTTP " + status + (retryAfter ? " (Retry-After)" : "") + (setCookie == null ? "" : " (new cookie)")
                    + (location == null ? "" : " (Location: " + location + ")") + "\n" + body;
        }
    }

    private final URI base;
    private String cookie;

    /** The cart servlet behind {@code port}. */
    Browser(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/cart/cart");
    }

    Page get() {
        return send(HttpRequest.newBuilder(base).GET());
    }

    Page post(String query) {
        return send(HttpRequest.newBuilder(URI.create(base + "?" + query)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code path} (with its query) on the server at {@code port}, with this browser's cookie. */
    Page get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    /** A form posted to {@code path} on the server at {@code port}, as a browser submits one. */
    Page postForm(int port, String path, String form) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** Replaces the session cookie, as a user replaying an old one would. */
    void cookie(String sessionId) {
        this.cookie = sessionId;
    }

    /** The session id the browser holds, route included. */
    String cookie() {
        return cookie;
    }

    /**
     * One request, never tried again: every step of the scenarios must answer 200 the first time, so a 503 (with
     * {@code Retry-After}, the Manager's answer while its store does not answer) fails the step that got it.
     */
    private Page send(HttpRequest.Builder builder) {
        if (cookie != null) {
            builder.header("Cookie", "JSESSIONID=" + cookie);
        }
        try {
            HttpResponse<String> response = HTTP.send(builder.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String setCookie = null;
            for (String header : response.headers().allValues("Set-Cookie")) {
                Matcher matcher = SESSION_COOKIE.matcher(header);
                if (matcher.find()) {
                    setCookie = matcher.group(1);
                    cookie = setCookie;
                }
            }
            return new Page(response.statusCode(), response.body(), setCookie,
                    response.headers().firstValue("Retry-After").isPresent(),
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
