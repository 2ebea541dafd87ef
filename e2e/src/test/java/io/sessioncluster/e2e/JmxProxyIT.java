package io.sessioncluster.e2e;

import io.sessioncluster.e2e.Browser.Page;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics MBean in a real Tomcat, read as an operator reads it: through the JMX proxy servlet of the
 * distribution's manager application, by a user of role {@code manager-jmx}. Two nodes on Redis with the drop-in
 * jar, the cart application; a session is written on one node and taken over by the other, and the figures of both
 * nodes move as that says they must. The manager application's text interface, on the same nodes, counts and expires
 * the cluster's sessions of the context.
 */
final class JmxProxyIT {

    private static final String USER = "monitor";
    private static final String PASSWORD = "monitor-secret";
    private static final String NAME = "io.sessioncluster:type=SessionCluster,host=localhost,context=/cart";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern GOT = Pattern.compile("^OK - Attribute get '([^']+)' - (\\w+) = (.*)$",
            Pattern.MULTILINE);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tomcat11", "tomcat10"})
    void theJmxProxyServletReadsTheFiguresOfRealRequests(String line) {
        Path home = Path.of(System.getProperty("e2e." + line));
        Path parts = Path.of(System.getProperty("e2e.dir"));
        Path dir = Path.of(System.getProperty("e2e.dir"), "runs", line + "-jmx");
        try {
            Cluster.deleteTree(dir); // the previous run's nodes, kept until now for their logs
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StoreSetup redis = StoreSetup.redis();
        Path loginWar = LoginWar.build(parts);
        List<TomcatNode> nodes = List.of(node(home, dir, "node1", redis, parts, loginWar),
                node(home, dir, "node2", redis, parts, loginWar));
        try {
            CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(n::start))
                    .toArray(CompletableFuture[]::new)).join();
            TomcatNode one = nodes.get(0);
            TomcatNode two = nodes.get(1);
            assertThat(get(two, "LoadCount")).isEqualTo("0");
            assertThat(get(one, "StoreAvailable")).isEqualTo("true");

            Browser browser = new Browser(one.httpPort);
            assertThat(browser.get().status()).isEqualTo(200);
            Page added = browser.post("add=apple");
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            assertThat(number(one, "WriteCount")).as("the cart written at once (sync)").isPositive();
            assertThat(number(one, "ChangeSetsWritten")).isPositive();
            assertThat(number(one, "BytesWritten")).isPositive();

            // The same browser on the other node: a failover, so node2 loads the session and node1 drops its copy.
            Browser moved = new Browser(two.httpPort);
            moved.cookie(browser.cookie());
            Page there = moved.get();
            assertThat(there.status()).as(there.toString()).isEqualTo(200);
            assertThat(there.body()).contains("apple x 1");
            assertThat(number(two, "LoadCount")).isEqualTo(1);
            assertThat(number(two, "LoadFailures")).isZero();
            assertThat(number(two, "BytesRead")).isPositive();
            assertThat(Double.parseDouble(get(two, "LoadP99Millis"))).isPositive();
            assertThat(number(two, "Failovers")).isEqualTo(1);
            Await.until("node1 to hear of the takeover", Duration.ofSeconds(10),
                    () -> number(one, "EvictionsReceived") >= 1);
            Await.until("node2's touch batch", Duration.ofSeconds(10), () -> {
                moved.get(); // read-only: its access time goes out with the next batch
                return number(two, "TouchCount") >= 1;
            });
            assertThat(get(two, "StoreAvailable")).isEqualTo("true");
            assertThat(get(two, "StoreStateSince")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(number(two, "ReadUnavailableResponses") + number(two, "WriteUnavailableResponses")).isZero();

            String listing = proxy(one, "?qry=io.sessioncluster:type=SessionCluster,*");
            assertThat(listing).contains("Name: " + NAME).contains("LoadP99Millis: ").contains("StoreAvailable: true");

            // The manager application's text interface sees the cluster's sessions of the context: node1 counts the
            // one it holds and the one only node2 holds; node2's expiry of idle sessions ends both everywhere.
            Browser second = new Browser(one.httpPort);
            assertThat(second.post("add=pear").status()).isEqualTo(200);
            assertThat(text(one, "sessions?path=/cart")).contains("Inactive for [<1] minutes: [2] sessions");
            assertThat(text(two, "expire?path=/cart&idle=0")).contains("[2] sessions were expired");
            Await.until("both carts gone on their nodes", Duration.ofSeconds(10),
                    () -> !moved.get().body().contains("apple") && !second.get().body().contains("pear"));
        } finally {
            nodes.forEach(node -> {
                if (node.isRunning()) {
                    node.kill();
                }
            });
        }
    }

    private static TomcatNode node(Path home, Path dir, String route, StoreSetup redis, Path parts, Path loginWar) {
        TomcatNode node = TomcatNode.create(home, dir.resolve(route), route, redis.managerElement(true),
                redis.forApplication(Cluster.LOGIN_APP).managerElement(true),
                List.of(parts.resolve("session-cluster-tomcat.jar")), parts.resolve("cart.war"), loginWar);
        node.addManagerApplication(USER, PASSWORD);
        return node;
    }

    private static long number(TomcatNode node, String attribute) {
        return Long.parseLong(get(node, attribute));
    }

    /** One attribute of the node's cart MBean, through {@code /manager/jmxproxy/?get=...&att=...}. */
    private static String get(TomcatNode node, String attribute) {
        String body = proxy(node, "?get=" + NAME + "&att=" + attribute);
        Matcher matcher = GOT.matcher(body);
        assertThat(matcher.find()).as("%s on %s: %s", attribute, node, body).isTrue();
        assertThat(matcher.group(1)).isEqualTo(NAME);
        assertThat(matcher.group(2)).isEqualTo(attribute);
        return matcher.group(3).trim();
    }

    /** The manager application's text interface ({@code /manager/text/...}, role {@code manager-script}). */
    private static String text(TomcatNode node, String command) {
        return call(node, "/manager/text/" + command);
    }

    private static String proxy(TomcatNode node, String query) {
        return call(node, "/manager/jmxproxy/" + query);
    }

    private static String call(TomcatNode node, String path) {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.httpPort + path))
                .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(20)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s %s: %s", node, path, response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
