package io.sessioncluster.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code session-cluster.*} properties. They carry the same settings as the attributes of {@code <Manager>} in
 * {@code context.xml}, and reach the manager the same way, so they are validated by the same code with the same
 * messages. Unknown names under {@code session-cluster.} stop the start ({@code ignoreUnknownFields = false}).
 *
 * @param enabled          false leaves Tomcat's own session manager in place
 * @param store            the store: {@code redis}, {@code jgroups} or {@code jdbc} (its module must be on the class path)
 * @param settings         every other setting, by its {@code context.xml} name or that name in kebab case
 *                         ({@code redis-uri} is {@code redisUri})
 * @param reuseSpringRedis with {@code store=redis} and no {@code redisUri}: connect to the Redis the application
 *                         configured with {@code spring.data.redis.*}, if it did
 * @param reuseSpringDatasource with {@code store=jdbc} and neither {@code jdbcUrl} nor {@code dataSourceName}:
 *                         connect to the database the application configured with {@code spring.datasource.*}, if
 *                         it did (URL, user and password)
 * @param healthTimeout    how long the health check waits for the store to answer
 * @param jvmRoute         this instance's route, appended to session ids ({@code <id>.<route>}) for a balancer that
 *                         routes by it; Tomcat's {@code <Engine jvmRoute>}. Empty: none
 */
@ConfigurationProperties(prefix = "session-cluster", ignoreUnknownFields = false)
public record SessionClusterProperties(
        @DefaultValue("true") boolean enabled,
        String store,
        Map<String, String> settings,
        @DefaultValue("true") boolean reuseSpringRedis,
        @DefaultValue("true") boolean reuseSpringDatasource,
        @DefaultValue("2s") Duration healthTimeout,
        String jvmRoute) {

    public SessionClusterProperties {
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        jvmRoute = jvmRoute == null || jvmRoute.isBlank() ? null : jvmRoute.trim();
    }
}
