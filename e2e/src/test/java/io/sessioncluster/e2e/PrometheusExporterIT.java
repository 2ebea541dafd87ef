package io.sessioncluster.e2e;

import io.sessioncluster.e2e.Browser.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus JMX exporter's configuration of {@code examples/prometheus/jmx-exporter.yaml}, run as an operator
 * runs it: the exporter's Java agent (the version of {@code e2e/pom.xml}, which docs/monitoring.md names as tested)
 * in a real Tomcat with the drop-in jar, on Redis, the cart application and the login application. Requests to the
 * cart move the figures; {@code /metrics} of the agent carries every metric docs/monitoring.md names, with the labels
 * {@code host}, {@code context} and {@code operation} the configuration gives them and the values the requests made.
 */
final class PrometheusExporterIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The kinds of store call, as the MBean's attributes name them (docs/monitoring.md, the operation table). */
    private static final List<String> OPERATIONS = List.of("Load", "VersionCheck", "Write", "BatchWrite", "Lock",
            "LockRenewal", "Unlock", "Touch", "IdChange", "Delete", "ExpiryClaim", "ExpirySweep", "PrincipalLookup",
            "Page", "ClockRead", "EvictionNotice");
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final Pattern DOCUMENTED_METRIC = Pattern.compile("session_cluster_[a-z0-9_]*[a-z0-9]");

    private static Path configuration() {
        return Path.of(System.getProperty("e2e.examples"), "prometheus", "jmx-exporter.yaml");
    }

    /** The section "Prometheus JMX exporter" of docs/monitoring.md. */
    private static String documentation() {
        try {
            String doc = Files.readString(Path.of(System.getProperty("e2e.docs"), "monitoring.md"));
            int start = doc.indexOf("## Prometheus JMX exporter");
            int end = doc.indexOf("\n## ", start + 1);
            assertThat(start).as("docs/monitoring.md has a section Prometheus JMX exporter").isNotNegative();
            return doc.substring(start, end < 0 ? doc.length() : end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration the documentation shows is the file's, verbatim, and the version it names is the tested one. */
    @Test
    void theDocumentationShowsTheTestedFileAndVersion() throws IOException {
        String file = Files.readString(configuration());
        String section = documentation();
        Matcher blocks = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
        int count = 0;
        while (blocks.find()) {
            assertThat(file).as("a YAML excerpt of docs/monitoring.md in %s", configuration())
                    .contains(blocks.group(1));
            count++;
        }
        assertThat(count).as("YAML excerpts in the section").isPositive();
        String version = System.getProperty("e2e.jmxExporterVersion");
        assertThat(section).contains("examples/prometheus/jmx-exporter.yaml")
                .contains("jmx_prometheus_javaagent:" + version);
        assertThat(Files.readString(configuration().resolveSibling("README.md")))
                .contains("jmx_prometheus_javaagent-" + version + ".jar")
                .contains("jmx_prometheus_javaagent:" + version);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tomcat11", "tomcat10"})
    void theExampleConfigurationExportsTheFiguresOfRealRequests(String line) {
        Path home = Path.of(System.getProperty("e2e." + line));
        Path parts = Path.of(System.getProperty("e2e.dir"));
        Path dir = parts.resolve("runs").resolve(line + "-prometheus");
        try {
            Cluster.deleteTree(dir); // the previous run's node, kept until now for its log
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StoreSetup redis = StoreSetup.redis();
        TomcatNode node = TomcatNode.create(home, dir.resolve("node1"), "node1", redis.managerElement(true),
                redis.forApplication(Cluster.LOGIN_APP).managerElement(true),
                List.of(parts.resolve("session-cluster-tomcat.jar")), parts.resolve("cart.war"),
                LoginWar.build(parts));
        int metricsPort = FreePorts.next();
        node.addJavaAgent(parts.resolve("jmx_prometheus_javaagent.jar"),
                "127.0.0.1:" + metricsPort + ":" + configuration().toAbsolutePath().normalize());
        double startedAt = System.currentTimeMillis() / 1000.0;
        try {
            node.start();

            // Before any request: the store answers, nothing was written, every kind of call has its series.
            Metrics before = scrape(metricsPort);
            assertThat(before.value("session_cluster_store_up", "/cart")).isEqualTo(1.0);
            assertThat(before.value("session_cluster_store_up", "/login")).isEqualTo(1.0);
            assertThat(before.value("session_cluster_store_calls_total", "/cart", "Write")).isZero();
            assertThat(before.value("session_cluster_changesetswritten_total", "/cart")).isZero();
            assertThat(before.value("session_cluster_store_calls_total", "/cart", "ClockRead"))
                    .as("the store's clock is read at start").isGreaterThanOrEqualTo(1.0);
            assertThat(before.value("session_cluster_store_state_since_seconds", "/cart"))
                    .as("the manager's creation, in seconds since the epoch")
                    .isBetween(startedAt - 5, System.currentTimeMillis() / 1000.0 + 5);
            for (String operation : OPERATIONS) {
                for (String metric : List.of("session_cluster_store_calls_total", "session_cluster_store_failures_total",
                        "session_cluster_store_seconds_total", "session_cluster_store_latency_max_seconds")) {
                    before.value(metric, "/cart", operation);
                }
                for (String quantile : List.of("0.5", "0.95", "0.99")) {
                    before.sample("session_cluster_store_latency_seconds",
                            labels("/cart", "operation", operation, "quantile", quantile));
                }
            }

            // A cart, a login (the id changes), a logout (the session ends) and a second cart.
            Browser browser = new Browser(node.httpPort);
            assertThat(browser.get().status()).isEqualTo(200);
            Page added = browser.post("add=apple&qty=2");
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            assertThat(browser.post("add=pear").status()).isEqualTo(200);
            assertThat(browser.post("login=alice").status()).isEqualTo(200);
            assertThat(browser.get().body()).contains("apple x 2");
            assertThat(browser.post("logout").status()).isEqualTo(200);
            Browser other = new Browser(node.httpPort);
            assertThat(other.post("add=plum").status()).isEqualTo(200);

            Metrics after = scrape(metricsPort);
            assertThat(after.value("session_cluster_store_calls_total", "/cart", "Write"))
                    .as("change sets written at once (sync)").isGreaterThanOrEqualTo(1.0);
            assertThat(after.value("session_cluster_store_calls_total", "/cart", "IdChange")).isEqualTo(1.0);
            assertThat(after.value("session_cluster_store_calls_total", "/cart", "Delete")).isEqualTo(1.0);
            assertThat(after.value("session_cluster_changesetswritten_total", "/cart")).isGreaterThanOrEqualTo(1.0);
            assertThat(after.value("session_cluster_byteswritten_total", "/cart")).isPositive();
            assertThat(after.value("session_cluster_store_seconds_total", "/cart", "Write"))
                    .as("time in seconds").isPositive().isLessThan(60.0);
            double p50 = after.value("session_cluster_store_latency_seconds",
                    labels("/cart", "operation", "Write", "quantile", "0.5"));
            double p95 = after.value("session_cluster_store_latency_seconds",
                    labels("/cart", "operation", "Write", "quantile", "0.95"));
            double p99 = after.value("session_cluster_store_latency_seconds",
                    labels("/cart", "operation", "Write", "quantile", "0.99"));
            assertThat(p50).isPositive().isLessThanOrEqualTo(p95);
            assertThat(p95).isLessThanOrEqualTo(p99);
            assertThat(p99).as("seconds, not milliseconds").isLessThan(10.0);
            assertThat(after.value("session_cluster_store_latency_max_seconds", "/cart", "Write")).isPositive();
            assertThat(after.value("session_cluster_activesessions", "/cart")).isGreaterThanOrEqualTo(1.0);
            assertThat(after.value("session_cluster_store_up", "/cart")).isEqualTo(1.0);
            assertThat(after.value("session_cluster_storeoutages_total", "/cart")).isZero();
            assertThat(after.value("session_cluster_readunavailableresponses_total", "/cart")
                    + after.value("session_cluster_writeunavailableresponses_total", "/cart")).isZero();
            for (String operation : OPERATIONS) {
                assertThat(after.value("session_cluster_store_failures_total", "/cart", operation))
                        .as("failures of %s", operation).isZero();
            }
            // The login application is a context of its own: its figures did not move.
            assertThat(after.value("session_cluster_store_calls_total", "/login", "Write")).isZero();
            assertThat(after.value("session_cluster_activesessions", "/login")).isZero();
            // The types the configuration gives.
            assertThat(after.type("session_cluster_store_calls_total")).isEqualTo("counter");
            assertThat(after.type("session_cluster_changesetswritten_total")).isEqualTo("counter");
            assertThat(after.type("session_cluster_store_up")).isEqualTo("gauge");
            assertThat(after.type("session_cluster_store_latency_seconds")).isEqualTo("gauge");
            assertThat(after.type("session_cluster_activesessions")).isEqualTo("gauge");

            // Every metric the documentation names is there, for the cart.
            Set<String> documented = new TreeSet<>();
            Matcher names = DOCUMENTED_METRIC.matcher(documentation());
            while (names.find()) {
                documented.add(names.group());
            }
            assertThat(documented).contains("session_cluster_store_calls_total", "session_cluster_store_up",
                    "session_cluster_store_latency_seconds", "session_cluster_changesetswritten_total");
            for (String name : documented) {
                assertThat(after.samples).as("a sample of %s for /cart", name)
                        .anyMatch(s -> s.name().equals(name) && "/cart".equals(s.labels().get("context"))
                                && "localhost".equals(s.labels().get("host")));
            }
            // Every attribute that only grows has its counter (the docs name two as examples).
            for (String attribute : List.of("StoreOutages", "ChangeSetsWritten", "ChangeSetWriteFailures",
                    "BytesWritten", "BytesRead", "Failovers", "EvictionsReceived", "EvictionGaps", "AsyncQueueWaits",
                    "AsyncWritesDropped", "LockWaits", "LockTimeouts", "LocksLost", "ReadUnavailableResponses",
                    "WriteUnavailableResponses", "ChangeSetWriteMillis", "AsyncQueueWaitMillis", "LockWaitMillis")) {
                after.value("session_cluster_" + attribute.toLowerCase(java.util.Locale.ROOT) + "_total", "/cart");
            }
            after.value("session_cluster_asyncqueuedepth", "/cart");
        } finally {
            if (node.isRunning()) {
                node.kill();
            }
        }
    }

    private static Map<String, String> labels(String context, String... more) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("context", context);
        labels.put("host", "localhost");
        for (int i = 0; i < more.length; i += 2) {
            labels.put(more[i], more[i + 1]);
        }
        return labels;
    }

    /** GET {@code /metrics} of the agent: Prometheus' text format. */
    private static Metrics scrape(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(20)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Metrics.parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One scrape, parsed: its samples and the {@code # TYPE} of each family. */
    record Metrics(List<Sample> samples, Map<String, String> types, String text) {

        static Metrics parse(String text) {
            List<Sample> samples = new ArrayList<>();
            Map<String, String> types = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring("# TYPE ".length()).trim().split("\\s+");
                    types.put(parts[0], parts[1]);
                    continue;
                }
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher matcher = SAMPLE.matcher(line);
                assertThat(matcher.matches()).as("a sample line: %s", line).isTrue();
                Map<String, String> labels = new LinkedHashMap<>();
                if (matcher.group(2) != null) {
                    Matcher label = LABEL.matcher(matcher.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(3))));
            }
            return new Metrics(samples, types, text);
        }

        /** The value of {@code name} for the cart's or login's context ({@code host="localhost"}), and operation. */
        double value(String name, String context, String operation) {
            return value(name, labels(context, "operation", operation));
        }

        double value(String name, String context) {
            return value(name, labels(context));
        }

        double value(String name, Map<String, String> labels) {
            return sample(name, labels).value();
        }

        /** The one sample of {@code name} whose labels are exactly {@code labels}. */
        Sample sample(String name, Map<String, String> labels) {
            List<Sample> found = samples.stream()
                    .filter(s -> s.name().equals(name) && s.labels().equals(labels)).toList();
            assertThat(found).as("%s%s in\n%s", name, labels, sessionClusterLines()).hasSize(1);
            return found.get(0);
        }

        /**
         * The type of the family of {@code name}: its {@code # TYPE} line names the family, with or without the
         * {@code _total} of a counter's sample, as exporters differ.
         */
        String type(String name) {
            String type = types.get(name);
            if (type == null && name.endsWith("_total")) {
                type = types.get(name.substring(0, name.length() - "_total".length()));
            }
            assertThat(type).as("# TYPE of %s in\n%s", name, sessionClusterLines()).isNotNull();
            return type;
        }

        private String sessionClusterLines() {
            return text.lines().filter(l -> l.contains("session_cluster")).reduce("", (a, b) -> a + b + "\n");
        }
    }
}
