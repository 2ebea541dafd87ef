package io.sessioncluster.examples.boot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Keeps the {@code JSESSIONID} cookie by hand, so that one session can be sent to any instance (as a balancer would). */
final class Browser {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String cookie;

    String cookie() {
        return cookie;
    }

    Reply get(Instance instance, String path) {
        return send(instance, path, HttpRequest.BodyPublishers.noBody(), "GET");
    }

    Reply post(Instance instance, String path) {
        return send(instance, path, HttpRequest.BodyPublishers.noBody(), "POST");
    }

    /** Posts {@code fields} as an HTML form would ({@code application/x-www-form-urlencoded}). */
    Reply postForm(Instance instance, String path, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(instance, path, HttpRequest.BodyPublishers.ofString(form), "POST");
    }

    private Reply send(Instance instance, String path, HttpRequest.BodyPublisher body, String method) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                .timeout(Duration.ofSeconds(20)).method(method, body);
        if (body.contentLength() > 0) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (cookie != null) {
            request.header("Cookie", "JSESSIONID=" + cookie);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("set-cookie")) {
                if (header.startsWith("JSESSIONID=")) {
                    cookie = header.substring("JSESSIONID=".length()).split(";", 2)[0];
                }
            }
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("location").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on " + instance + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @param location the {@code Location} header of a redirect (not followed), or null */
    record Reply(int status, String body, String location) {
    }
}
