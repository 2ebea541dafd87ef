package io.sessioncluster.store.redis;

import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.TrustManagerFactory;

/**
 * Provides the Redis store, selected with {@code store="redis"}. Opening never waits for Redis: a node starts
 * while Redis is down, and its session operations fail as unavailable until Redis answers.
 */
public final class RedisSessionStoreProvider implements SessionStoreProvider {

    public static final String NAME = "redis";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Setting<?>> settings() {
        return RedisSettings.ALL;
    }

    @Override
    public SessionStore open(Settings settings, String contextName) {
        RedisEndpoint endpoint = settings.get(RedisSettings.REDIS_URI);
        boolean cluster = settings.get(RedisSettings.REDIS_CLUSTER);
        int waitReplicas = settings.get(RedisSettings.WAIT_REPLICAS);
        checkCombination(endpoint, cluster, waitReplicas);
        TrustManagerFactory trust = trust(endpoint, settings.get(RedisSettings.TRUST_STORE),
                settings.get(RedisSettings.TRUST_STORE_PASSWORD));
        RedisConnector connector = RedisConnector.connector(endpoint, cluster,
                Duration.ofMillis(settings.get(RedisSettings.TIMEOUT_MILLIS)), trust, contextName);
        return new RedisSessionStore(connector, settings.get(RedisSettings.KEY_PREFIX_SETTING),
                settings.get(RedisSettings.TTL_GRACE_SECONDS), waitReplicas);
    }

    /**
     * The trust managers of {@code redisTrustStore}, or null for the JVM's defaults. The file was checked to be
     * readable when parsed; its content is checked here, where the password is known.
     */
    static TrustManagerFactory trust(RedisEndpoint endpoint, Optional<Path> trustStore, String password) {
        String problem = null;
        if (trustStore.isEmpty()) {
            if (!password.isEmpty()) {
                problem = "redisTrustStorePassword [****]: set, but redisTrustStore is not";
            }
        } else if (endpoint.uris().stream().noneMatch(u -> u.isSsl())) {
            problem = "redisTrustStore [" + trustStore.get() + "]: set, but redisUri [" + endpoint.masked()
                    + "] is not a TLS URI (rediss:// or rediss-sentinel://)";
        } else {
            try {
                return RedisTls.trustManagers(trustStore.get(), password);
            } catch (IllegalArgumentException e) {
                problem = "redisTrustStore [" + trustStore.get() + "]: " + e.getMessage();
            }
        }
        if (problem != null) {
            throw new ConfigException("Invalid settings of store [redis]", List.of(problem));
        }
        return null;
    }

    /** Checks what no single setting can check alone; the single values were validated before. */
    static void checkCombination(RedisEndpoint endpoint, boolean cluster, int waitReplicas) {
        List<String> problems = new ArrayList<>();
        if (cluster && endpoint.sentinel()) {
            problems.add("redisUri [" + endpoint.masked() + "]: a redis-sentinel:// URI cannot be used with redisCluster=true");
        }
        if (cluster && endpoint.uris().stream().anyMatch(u -> u.getDatabase() != 0)) {
            problems.add("redisUri [" + endpoint.masked() + "]: Redis Cluster has only database 0");
        }
        if (!cluster && endpoint.uris().size() > 1) {
            problems.add("redisUri [" + endpoint.masked() + "]: several hosts need redisCluster=true"
                    + " (or a redis-sentinel:// URI for Sentinel)");
        }
        if (cluster && waitReplicas > 0) {
            // Lettuce's cluster connection sends keyless commands such as WAIT to an arbitrary node, not to the one
            // that took the write, where WAIT would count nothing useful: refuse rather than pretend.
            problems.add("redisWaitReplicas [" + waitReplicas + "]: not supported with redisCluster=true"
                    + " (WAIT would not reach the node holding the session); use 0");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid settings of store [redis]", problems);
        }
    }
}
