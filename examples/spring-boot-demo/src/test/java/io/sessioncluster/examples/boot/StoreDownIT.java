package io.sessioncluster.examples.boot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance whose Redis does not answer (a port nothing listens on). The application still starts (the store is
 * opened on first use); a request that changes its session is answered 503, not 200: Spring MVC flushed its answer,
 * but the starter held that flush back, so the response was still uncommitted when the write failed. The health
 * indicator says DOWN and the failures are counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreDownIT {

    private Instance instance;

    @BeforeAll
    void start() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        instance = Instance.start("down", "--session-cluster.store=redis",
                "--session-cluster.settings.redis-uri=redis://127.0.0.1:" + closedPort,
                "--session-cluster.settings.redis-timeout-millis=200",
                "--session-cluster.health-timeout=1s",
                "--management.health.redis.enabled=false");
    }

    @AfterAll
    void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void aChangeThatCannotBeStoredIsAnsweredWith503EvenThoughSpringFlushedTheAnswer() {
        Browser.Reply reply = new Browser().post(instance, "/cart?item=apple");
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).doesNotContain("apple");
    }

    @Test
    void healthIsDownAndFailuresAreCounted() {
        new Browser().post(instance, "/cart?item=apple");

        Browser.Reply health = new Browser().get(instance, "/actuator/health/sessionCluster");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"").contains("\"store\":\"redis\"").contains("\"error\"");

        Browser.Reply failures = new Browser().get(instance, "/actuator/metrics/session.cluster.store.failures");
        assertThat(failures.body()).containsPattern("\"value\":[1-9]");
    }
}
