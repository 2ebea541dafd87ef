package io.sessioncluster.tomcat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A client that keeps the {@code JSESSIONID} cookie by hand, so that a test can send one session to any node,
 * the way a load balancer would (or a failover would).
 */
final class Browser {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String cookie;

    /** The session cookie value the next request sends, or null. */
    String cookie() {
        return cookie;
    }

    void cookie(String value) {
        this.cookie = value;
    }

    /** Sends {@code cookie} (a session id, or null) with the next request: {@link #call} as that session. */
    Reply callAs(String cookie, TestNode node, String op, String... params) {
        this.cookie = cookie;
        return call(node, op, params);
    }

    /** {@code op} with optional name and value pairs: {@code call(node, "set", "name", "a", "value", "1")}. */
    Reply call(TestNode node, String op, String... params) {
        StringBuilder query = new StringBuilder("op=").append(op);
        for (int i = 0; i + 1 < params.length; i += 2) {
            query.append('&').append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return get(node, "/s?" + query);
    }

    /** A GET of {@code path} (with its query) as this browser's session; {@code headers} are name/value pairs. */
    Reply get(TestNode node, String path, String... headers) {
        return send(node, path, HttpRequest.BodyPublishers.noBody(), "GET", headers);
    }

    /** A form POST, as a browser submits a login form; redirects are not followed. */
    Reply post(TestNode node, String path, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(node, path, HttpRequest.BodyPublishers.ofString(body.toString()), "POST",
                "Content-Type", "application/x-www-form-urlencoded");
    }

    private Reply send(TestNode node, String path, HttpRequest.BodyPublisher body, String method, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (cookie != null) {
            request.header("Cookie", "JSESSIONID=" + cookie);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String setCookie = null;
            for (String header : response.headers().allValues("set-cookie")) {
                if (header.startsWith("JSESSIONID=")) {
                    setCookie = header.substring("JSESSIONID=".length()).split(";", 2)[0];
                    cookie = setCookie;
                }
            }
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("X-Session").orElse(null), setCookie,
                    response.headers().firstValue("Retry-After"), response.headers().firstValue("Location"));
        } catch (IOException e) {
            throw new IllegalStateException("request to " + node + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Reply(int status, String body, String session, String setCookie, Optional<String> retryAfter,
                 Optional<String> location) {
    }
}
