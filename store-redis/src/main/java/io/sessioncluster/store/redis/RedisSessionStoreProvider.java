package io.sessioncluster.store.redis;

import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        checkCombination(endpoint, cluster);
        RedisConnector connector = RedisConnector.connector(endpoint, cluster,
                Duration.ofMillis(settings.get(RedisSettings.TIMEOUT_MILLIS)), contextName);
        return new RedisSessionStore(connector, settings.get(RedisSettings.KEY_PREFIX_SETTING),
                settings.get(RedisSettings.TTL_GRACE_SECONDS));
    }

    /** Checks what no single setting can check alone; the single values were validated before. */
    static void checkCombination(RedisEndpoint endpoint, boolean cluster) {
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
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid settings of store [redis]", problems);
        }
    }
}
