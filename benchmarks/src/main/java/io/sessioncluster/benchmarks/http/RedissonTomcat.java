package io.sessioncluster.benchmarks.http;

import org.redisson.codec.Kryo5Codec;
import org.redisson.config.Config;
import org.redisson.tomcat.RedissonSessionManager;

import java.util.Set;

/**
 * Redisson's Tomcat manager ({@code org.redisson:redisson-tomcat-10}) on the same Redis, two nodes, its default
 * codec (with Kryo references on) and update mode. {@code readMode="REDIS"} (its default) keeps attributes in Redis only, so any node can
 * serve any request: run non-sticky. {@code readMode="MEMORY"} keeps a local copy and broadcasts updates: run
 * sticky.
 */
final class RedissonTomcat {

    private RedissonTomcat() {
    }

    static Scenario.Factory factory(String readMode, boolean sticky) {
        return env -> new Deployment(TwoNodes.start(env, sticky, i -> (tomcat, context) -> {
            Config config = new Config();
            config.useSingleServer().setAddress(env.redisUri());
            // Its default codec (Kryo5Codec) with references on: without them Kryo overflows the stack on the
            // session's cycles (cart to owner, item to cart), as it would on most real sessions.
            config.setCodec(new Kryo5Codec(Set.of(), true));
            RedissonSessionManager manager = new RedissonSessionManager();
            manager.setConfig(config);
            manager.setReadMode(readMode);
            manager.setKeyPrefix("redisson:");
            context.setManager(manager);
        }), new RedisInfo(env.redisPort()));
    }
}
