package io.sessioncluster.benchmarks.http;

import io.sessioncluster.core.testing.ShopModel;
import io.sessioncluster.tomcat.ClusteredSessionManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Our {@link ClusteredSessionManager} with the Redis store, configured the way {@code context.xml} would (through
 * {@code setProperty}), on two nodes. Sticky nodes carry a jvmRoute, non-sticky ones none (as behind a round-robin
 * balancer).
 */
final class OursOnRedis {

    private OursOnRedis() {
    }

    static Scenario.Factory factory(boolean sticky, String writeMode) {
        return factory(sticky, writeMode, new String[0]);
    }

    /** With extra manager settings, name/value pairs. */
    static Scenario.Factory factory(boolean sticky, String writeMode, String... extra) {
        return env -> {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("store", "redis");
            settings.put("redisUri", env.redisUri());
            settings.put("keyPrefix", "bench:");
            settings.put("writeMode", writeMode);
            settings.put("sticky", Boolean.toString(sticky));
            settings.put("allowedClasses", ShopModel.class.getName());
            for (int i = 0; i + 1 < extra.length; i += 2) {
                settings.put(extra[i], extra[i + 1]);
            }
            return new Deployment(TwoNodes.start(env, sticky, i -> (tomcat, context) -> {
                ClusteredSessionManager manager = new ClusteredSessionManager();
                settings.forEach(manager::setProperty);
                context.setManager(manager);
            }), new RedisInfo(env.redisPort()));
        };
    }
}
