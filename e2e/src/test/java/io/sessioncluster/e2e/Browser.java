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

/** One user of the cart through the load balancer: keeps the {@code JSESSIONID} cookie as a browser would. */
final class Browser {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SESSION_COOKIE = Pattern.compile("JSESSIONID=([^;]*)");

    /** One answer of the cart servlet. */
    record Page(int status, String body, String setCookie, boolean retryAfter) {

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
            return "HTTP " + status + (setCookie == null ? "" : " (new cookie)") + "\n" + body;
        }
    }

    private final URI base;
    private String cookie;

    Browser(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/cart/cart");
    }

    Page get() {
        return send(HttpRequest.newBuilder(base).GET());
    }

    Page post(String query) {
        return send(HttpRequest.newBuilder(URI.create(base + "?" + query)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The session id the browser holds, route included. */
    String cookie() {
        return cookie;
    }

    /**
     * Sends like a polite client: a 503 with {@code Retry-After} (the Manager's answer while its store does not
     * answer, e.g. when another build on the host drops the shared Redis's connections) is tried again, a few times.
     */
    private Page send(HttpRequest.Builder builder) {
        Page page = sendOnce(builder);
        for (int retry = 1; retry <= 5 && page.status() == 503 && page.retryAfter(); retry++) {
            System.out.println("[e2e] 503 with Retry-After, retry " + retry + ": " + page.body().lines().findFirst()
                    .orElse(""));
            sleepSecond();
            page = sendOnce(builder);
        }
        return page;
    }

    private static void sleepSecond() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Page sendOnce(HttpRequest.Builder builder) {
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
                    response.headers().firstValue("Retry-After").isPresent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
