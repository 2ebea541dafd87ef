package io.sessioncluster.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessioncluster.tomcat.StoreOperation;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Micrometer meters read the manager's counters: every kind of store call, not only writes, with the store's
 * state. A servlet application on the local Redis ({@code SESSION_CLUSTER_REDIS_URI}), non-sticky without locks so
 * that each request checks the stored version.
 */
class SessionClusterMetricsTest {

    private static final String REDIS = System.getenv().getOrDefault("SESSION_CLUSTER_REDIS_URI",
            "redis://127.0.0.1:6379");

    @SpringBootConfiguration
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class CountingApplication {

        /** {@code /visit}: counts the visits in the session; {@code /look}: reads the count only. */
        @Bean
        ServletRegistrationBean<HttpServlet> visits() {
            return new ServletRegistrationBean<>(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    HttpSession session = req.getSession();
                    Integer visits = (Integer) session.getAttribute("visits");
                    if (req.getRequestURI().endsWith("/visit")) {
                        visits = visits == null ? 1 : visits + 1;
                        session.setAttribute("visits", visits);
                    }
                    resp.getWriter().print(visits);
                }
            }, "/visit", "/look");
        }
    }

    @Test
    void everyKindOfStoreCallIsMeteredWithTheStoresState() throws Exception {
        SpringApplication app = new SpringApplication(CountingApplication.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        try (ConfigurableApplicationContext context = app.run("--server.port=0", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--session-cluster.store=redis",
                "--session-cluster.settings.redis-uri=" + REDIS,
                "--session-cluster.settings.key-prefix=metrics-" + UUID.randomUUID() + ":",
                "--session-cluster.settings.sticky=false", "--session-cluster.settings.locking=none")) {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(SessionClusterMetrics.class).bindTo(registry);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();

            Client client = new Client(port);
            assertThat(client.get("/visit")).isEqualTo("1");
            assertThat(client.get("/visit")).isEqualTo("2");
            assertThat(client.get("/look")).isEqualTo("2");

            assertThat(calls(registry, StoreOperation.WRITE)).as("two change sets written").isGreaterThanOrEqualTo(2);
            assertThat(calls(registry, StoreOperation.VERSION)).as("non-sticky: the version checked")
                    .isGreaterThanOrEqualTo(2);
            assertThat(registry.get("session.cluster.store.operations").tag("operation", "write").functionTimer()
                    .totalTime(TimeUnit.NANOSECONDS)).isPositive();
            // The read-only request's access time goes out with the next touch batch (about once a second).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (calls(registry, StoreOperation.TOUCH) == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(100);
            }
            assertThat(calls(registry, StoreOperation.TOUCH)).as("the touch batch").isPositive();
            assertThat(registry.get("session.cluster.store.operation.failures").tag("operation", "load")
                    .functionCounter().count()).isZero();
            assertThat(registry.get("session.cluster.store.operation.latency").tag("operation", "write")
                    .tag("quantile", "0.99").timeGauge().value(TimeUnit.MILLISECONDS)).isPositive();
            assertThat(registry.get("session.cluster.store.operation.latency.max").tag("operation", "version")
                    .timeGauge().value(TimeUnit.MILLISECONDS)).isPositive();
            assertThat(registry.find("session.cluster.store.operations").functionTimers())
                    .as("one timer per kind of store call").hasSize(StoreOperation.values().length);

            assertThat(registry.get("session.cluster.writes").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("session.cluster.bytes.written").functionCounter().count()).isPositive();
            assertThat(registry.get("session.cluster.store.up").gauge().value()).isEqualTo(1);
            assertThat(registry.get("session.cluster.store.state.since").gauge().value())
                    .isLessThanOrEqualTo(System.currentTimeMillis() / 1000.0);
            assertThat(registry.get("session.cluster.store.outages").functionCounter().count()).isZero();
            assertThat(registry.get("session.cluster.async.queue.depth").gauge().value()).isZero();
            assertThat(registry.find("session.cluster.responses.unavailable").functionCounters()).hasSize(2)
                    .allSatisfy(c -> assertThat(c.count()).isZero());
            for (String name : Arrays.asList("session.cluster.bytes.read", "session.cluster.evictions.received",
                    "session.cluster.evictions.gaps", "session.cluster.async.dropped", "session.cluster.failovers",
                    "session.cluster.lock.timeouts", "session.cluster.lock.lost", "session.cluster.store.failures")) {
                assertThat(registry.get(name).functionCounter().count()).as(name).isZero();
            }
            assertThat(registry.get("session.cluster.sessions.active").gauge().value()).isEqualTo(1);
        }
    }

    private static double calls(MeterRegistry registry, StoreOperation operation) {
        return registry.get("session.cluster.store.operations").tag("operation", operation.tag()).functionTimer()
                .count();
    }

    /** Keeps the session cookie. */
    private static final class Client {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;
        private String cookie;

        Client(int port) {
            this.port = port;
        }

        String get(String path) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10));
            if (cookie != null) {
                request.header("Cookie", cookie);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            response.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
            return response.body();
        }
    }
}
