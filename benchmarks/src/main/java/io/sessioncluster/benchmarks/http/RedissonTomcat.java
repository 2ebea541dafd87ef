package io.sessioncluster.benchmarks.http;

import org.redisson.codec.Kryo5Codec;
import org.redisson.config.Config;
import org.redisson.tomcat.RedissonSessionManager;

import java.util.Set;

/**
 * Redisson's Tomcat manager ({@code org.redisson:redisson-tomcat-10}) on the same Redis, two nodes, configured as
 * its documentation's {@code context.xml} does: {@code readMode}, {@code updateMode} ({@code DEFAULT}: attributes
 * are written by {@code setAttribute}; {@code AFTER_REQUEST}: all of them after each request),
 * {@code broadcastSessionEvents="false"}, {@code broadcastSessionUpdates="true"} (the defaults, set explicitly),
 * a single-server config with Redisson's default pools and threads, and its default codec, Kryo5Codec, with Kryo
 * references on. {@code readMode="REDIS"} (its default) keeps attributes in Redis only, so any node can serve any
 * request: run non-sticky. {@code readMode="MEMORY"} keeps a local copy and broadcasts updates: run sticky.
 */
final class RedissonTomcat {

    private RedissonTomcat() {
    }

    static Scenario.Factory factory(String readMode, boolean sticky) {
        return factory(readMode, "DEFAULT", sticky);
    }

    static Scenario.Factory factory(String readMode, String updateMode, boolean sticky) {
        return factory(readMode, updateMode, true, sticky);
    }

    static Scenario.Factory factory(String readMode, String updateMode, boolean broadcastUpdates, boolean sticky) {
        return env -> new Deployment(TwoNodes.start(env, sticky, i -> (tomcat, context) -> {
            Config config = new Config();
            config.useSingleServer().setAddress(env.redisUri());
            // Its default codec (Kryo5Codec) with references on: without them Kryo overflows the stack on the
            // session's cycles (cart to owner, item to cart), as it would on most real sessions.
            config.setCodec(new Kryo5Codec(Set.of(), true));
            RedissonSessionManager manager = new RedissonSessionManager();
            manager.setConfig(config);
            manager.setReadMode(readMode);
            manager.setUpdateMode(updateMode);
            manager.setBroadcastSessionEvents(false);
            manager.setBroadcastSessionUpdates(broadcastUpdates);
            manager.setKeyPrefix("redisson:");
            context.setManager(manager);
        }), new RedisInfo(env.redisPort()));
    }
}
