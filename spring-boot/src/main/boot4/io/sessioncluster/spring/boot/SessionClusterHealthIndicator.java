package io.sessioncluster.spring.boot;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Boot 4's health indicator {@code sessionCluster}: UP when the store answers in time (see {@link StorePing}). */
final class SessionClusterHealthIndicator implements HealthIndicator, DisposableBean {

    private final StorePing ping;

    SessionClusterHealthIndicator(StorePing ping) {
        this.ping = ping;
    }

    @Override
    public Health health() {
        StorePing.Result result = ping.check();
        Health.Builder builder = switch (result.status()) {
            case UP -> Health.up();
            case DOWN -> Health.down();
            case UNKNOWN -> Health.unknown();
        };
        return builder.withDetails(result.details()).build();
    }

    @Override
    public void destroy() {
        ping.destroy();
    }
}
