package io.sessioncluster.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Redis the integration tests use: {@code SESSION_CLUSTER_REDIS_URI} if set; else a Testcontainers Redis if
 * Docker is available; else {@code redis://127.0.0.1:6379}. Each test class isolates itself with a random key
 * prefix, so tests may share one Redis with other users.
 */
final class RedisTestServer {

    static final String ENV = "SESSION_CLUSTER_REDIS_URI";
    private static final String IMAGE = "redis:7.4.2"; // pinned: tests must not change under our feet
    private static volatile String uri;

    private RedisTestServer() {
    }

    static synchronized String uri() {
        if (uri == null) {
            String fromEnv = System.getenv(ENV);
            if (fromEnv != null && !fromEnv.isBlank()) {
                uri = fromEnv.trim();
            } else if (dockerAvailable()) {
                @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
                GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(IMAGE)).withExposedPorts(6379);
                redis.start();
                uri = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
            } else {
                uri = "redis://127.0.0.1:6379";
            }
        }
        return uri;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static String randomPrefix(String name) {
        return "sc-test-" + name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    }

    /** Opens a store on the test Redis with this prefix; {@code extra} may override any setting. */
    static SessionStore open(String keyPrefix, Map<String, String> extra) {
        Map<String, String> raw = new HashMap<>();
        raw.put("redisUri", uri());
        raw.put("keyPrefix", keyPrefix);
        raw.put("redisTimeoutMillis", "5000"); // generous: CI machines are slow, and tests fail, not hang, past it
        raw.putAll(extra);
        RedisSessionStoreProvider provider = new RedisSessionStoreProvider();
        return provider.open(Settings.parse(provider.settings(), raw), "/test");
    }

    /** A plain Lettuce connection for looking at the data behind the store's back. */
    static Raw raw() {
        return raw(uri());
    }

    static Raw raw(String uri) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(redisUri);
        return new Raw(client, client.connect(ByteArrayCodec.INSTANCE));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A raw connection; closing it shuts its client down. */
    record Raw(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection) implements AutoCloseable {

        RedisCommands<byte[], byte[]> sync() {
            return connection.sync();
        }

        /** Deletes every key under {@code prefix}; prefixes use no glob characters, so MATCH is exact. */
        void deleteKeys(String prefix) {
            List<byte[]> keys = new ArrayList<>();
            ScanIterator.scan(sync(), ScanArgs.Builder.matches(prefix + "*").limit(500)).forEachRemaining(keys::add);
            for (byte[] key : keys) {
                sync().del(key); // one by one: on a Cluster node, one DEL may not span slots
            }
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
