package io.sessioncluster.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A browser with one session cookie that it may send to any node, the way a load balancer forwards it. Kept by
 * hand (no cookie manager) so the walkthrough can show the id and its route change.
 */
final class DemoBrowser {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String sessionId;

    String sessionId() {
        return sessionId;
    }

    CartPage get(NodeProcess node) {
        return send(node, "", "GET");
    }

    CartPage post(NodeProcess node, String query) {
        return send(node, query, "POST");
    }

    private CartPage send(NodeProcess node, String query, String method) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.address() + query))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            cookie(response).ifPresent(id -> sessionId = id);
            if (response.statusCode() != 200) {
                throw new WalkthroughFailure(node.name() + " answered " + response.statusCode() + ": " + response.body());
            }
            return CartPage.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("request to " + node.name() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Optional<String> cookie(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith("JSESSIONID=")) {
                int end = header.indexOf(';');
                return Optional.of(header.substring("JSESSIONID=".length(), end < 0 ? header.length() : end));
            }
        }
        return Optional.empty();
    }
}
