package io.sessioncluster.examples.boot;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances sharing sessions through the Redis at {@code SESSION_CLUSTER_REDIS_URI} (default
 * {@code redis://127.0.0.1:6379}), under a key prefix of this run. Instance a names Redis with
 * {@code session-cluster.settings.redis-uri}; instance b only has the application's own {@code spring.data.redis.url},
 * which the starter reuses. Each has its own {@code jvm-route}. Also checks what Actuator shows: the store's health
 * and the session metrics.
 */
class TwoInstancesRedisIT extends SharedSessionsContract {

    private static final String REDIS_URI = redisUri();
    private final String prefix = "boot-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @Override
    Instance startInstance(String name) {
        String redis = name.equals("a") ? "--session-cluster.settings.redis-uri=" + REDIS_URI
                : "--spring.data.redis.url=" + REDIS_URI;
        return Instance.start(name, "--session-cluster.store=redis", "--session-cluster.settings.key-prefix=" + prefix,
                "--session-cluster.settings.redis-timeout-millis=2000", NON_STICKY, "--session-cluster.jvm-route=" + name,
                redis);
    }

    @Test
    void actuatorShowsTheStoreUpAndCountsWritesAndBytes() {
        Browser browser = new Browser();
        browser.post(a, "/cart?item=apple");
        browser.post(a, "/cart?item=pear");

        Browser.Reply health = new Browser().get(a, "/actuator/health/sessionCluster");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"store\":\"redis\"");

        assertThat(metric(a, "session.cluster.writes")).isGreaterThanOrEqualTo(2);
        assertThat(metric(a, "session.cluster.bytes.written")).isPositive();
        assertThat(metric(a, "session.cluster.sessions.active")).isPositive();
        assertThat(metric(a, "session.cluster.store.failures")).isZero();
        assertThat(new Browser().get(a, "/actuator/metrics/session.cluster.store.latency").body())
                .contains("\"statistic\":\"COUNT\"").contains("\"statistic\":\"TOTAL_TIME\"");
        // Non-sticky, so the session lock is on: nobody else held it, nothing waited in vain, nothing was taken.
        assertThat(new Browser().get(a, "/actuator/metrics/session.cluster.lock.waits").body())
                .contains("\"statistic\":\"COUNT\"").contains("\"statistic\":\"TOTAL_TIME\"");
        assertThat(metric(a, "session.cluster.lock.timeouts")).isZero();
        assertThat(metric(a, "session.cluster.lock.lost")).isZero();
    }

    @Test
    void aSessionArrivingWithTheOtherInstancesRouteIsTakenOverAndCounted() {
        double before = metric(b, "session.cluster.failovers");
        Browser browser = new Browser();
        browser.post(a, "/cart?item=apple");
        assertThat(browser.cookie()).endsWith(".a");

        assertThat(browser.get(b, "/cart").body()).isEqualTo("b: apple");
        assertThat(browser.cookie()).endsWith(".b");
        assertThat(metric(b, "session.cluster.failovers")).isEqualTo(before + 1);
    }

    /** The first measurement's value of a metric, from the Actuator endpoint. */
    private static double metric(Instance instance, String name) {
        Browser.Reply reply = new Browser().get(instance, "/actuator/metrics/" + name);
        assertThat(reply.status()).as(name).isEqualTo(200);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":([0-9.E+-]+)").matcher(reply.body());
        assertThat(m.find()).as(reply.body()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String redisUri() {
        String env = System.getenv("SESSION_CLUSTER_REDIS_URI");
        return env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env;
    }
}
