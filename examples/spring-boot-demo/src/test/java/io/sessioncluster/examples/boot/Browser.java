package io.sessioncluster.examples.boot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

    private Reply send(Instance instance, String path, HttpRequest.BodyPublisher body, String method) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                .timeout(Duration.ofSeconds(20)).method(method, body);
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
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on " + instance + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Reply(int status, String body) {
    }
}
