package io.sessioncluster.tomcat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A client that keeps its cookies by hand, so that a test can send one session to any node, the way a load balancer
 * would (or a failover would). Cookies are kept by name and path, and a request sends those whose path covers it, as
 * a browser does: {@code JSESSIONID} of {@code /app1} and of {@code /app2} side by side, {@code JSESSIONIDSSO} of
 * {@code /} with both. {@link #cookie()} is the {@code JSESSIONID} of the root path.
 */
final class Browser {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String SESSION_COOKIE = "JSESSIONID";

    /** Value by "name;path". */
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** The session cookie value (of the root path) the next request sends, or null. */
    String cookie() {
        return cookie(SESSION_COOKIE, "/");
    }

    void cookie(String value) {
        cookie(SESSION_COOKIE, "/", value);
    }

    /** The value of cookie {@code name} of {@code path}, or null. */
    String cookie(String name, String path) {
        return cookies.get(name + ";" + path);
    }

    /** Sets (or, with null, removes) cookie {@code name} of {@code path}. */
    void cookie(String name, String path, String value) {
        if (value == null) {
            cookies.remove(name + ";" + path);
        } else {
            cookies.put(name + ";" + path, value);
        }
    }

    /** Sends {@code cookie} (a session id, or null) with the next request: {@link #call} as that session. */
    Reply callAs(String cookie, TestNode node, String op, String... params) {
        cookie(cookie);
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
        String sent = cookieHeader(path);
        if (!sent.isEmpty()) {
            request.header("Cookie", sent);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String setCookie = null;
            for (String header : response.headers().allValues("set-cookie")) {
                String value = received(header);
                if (header.startsWith(SESSION_COOKIE + "=")) {
                    setCookie = value;
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

    private String cookieHeader(String path) {
        String requestPath = path.split("\\?", 2)[0];
        StringJoiner header = new StringJoiner("; ");
        cookies.forEach((key, value) -> {
            String cookiePath = key.substring(key.indexOf(';') + 1);
            if (cookiePath.equals("/") || requestPath.equals(cookiePath) || requestPath.startsWith(cookiePath + "/")) {
                header.add(key.substring(0, key.indexOf(';')) + "=" + value);
            }
        });
        return header.toString();
    }

    /** Keeps (or, for {@code Max-Age=0}, drops) the cookie of a {@code Set-Cookie} header; returns its value. */
    private String received(String header) {
        String[] parts = header.split(";");
        String nameValue = parts[0].trim();
        String name = nameValue.substring(0, nameValue.indexOf('='));
        String value = nameValue.substring(nameValue.indexOf('=') + 1);
        String cookiePath = "/";
        boolean remove = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim();
            String lower = attribute.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("path=")) {
                cookiePath = attribute.substring(5);
            } else if (lower.equals("max-age=0") || lower.startsWith("expires=thu, 01 jan 1970")) {
                remove = true;
            }
        }
        cookie(name, cookiePath, remove ? null : value);
        return value;
    }

    record Reply(int status, String body, String session, String setCookie, Optional<String> retryAfter,
                 Optional<String> location) {
    }
}
