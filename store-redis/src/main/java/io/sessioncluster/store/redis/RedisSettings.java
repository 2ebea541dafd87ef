package io.sessioncluster.store.redis;

import io.sessioncluster.core.config.Setting;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The settings of the {@code redis} store; each is a {@code <Manager>} attribute. */
final class RedisSettings {

    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    static final Setting<RedisEndpoint> REDIS_URI = Setting.of("redisUri", "redis://127.0.0.1:6379",
            "a Redis URI: redis://[user:password@]host[:port][/database], rediss://... for TLS,"
                    + " redis-sentinel://[password@]host:26379[,host2:26379]/database#masterName,"
                    + " or with redisCluster=true one or more seed nodes redis://host1:port1[,host2:port2]",
            "Where Redis is. May hold a password (masked in every message and log line).",
            RedisEndpoint::parse).secret();

    static final Setting<Boolean> REDIS_CLUSTER = Setting.bool("redisCluster", false,
            "True if redisUri names seed nodes of a Redis Cluster rather than a standalone or Sentinel-managed server.");

    static final Setting<String> KEY_PREFIX_SETTING = Setting.of("keyPrefix", "sc:",
            "1 to 64 characters of A-Z a-z 0-9 _ . : -",
            "Prefix of every key this store writes, so that several applications can share one Redis.",
            raw -> {
                if (!KEY_PREFIX.matcher(raw).matches()) {
                    throw new IllegalArgumentException();
                }
                return raw;
            });

    static final Setting<Integer> TIMEOUT_MILLIS = Setting.integer("redisTimeoutMillis", 2000, 10, 600_000,
            "Longest time, in milliseconds, that one store operation (including connecting) may take before it"
                    + " fails as unavailable.");

    static final Setting<Integer> TTL_GRACE_SECONDS = Setting.integer("ttlGraceSeconds", 300, 0, 7 * 24 * 3600,
            "How long, in seconds, Redis keeps a session after it expired, so that the expiry sweeper can still"
                    + " claim it and fire its listeners; after that Redis frees it on its own.");

    static final Setting<Integer> WAIT_REPLICAS = Setting.integer("redisWaitReplicas", 0, 0, 16,
            "After each write, wait until this many replicas acknowledged it (Redis WAIT), so a failover cannot lose"
                    + " an acknowledged write; bounded by redisTimeoutMillis; fewer acks: the write fails as"
                    + " unavailable. 0: do not wait. Standalone and Sentinel only, not with redisCluster=true.");

    static final Setting<Optional<Path>> TRUST_STORE = Setting.of("redisTrustStore", "",
            "empty, or the path of a readable PKCS12 or JKS trust store or PEM file of CA certificates",
            "Certificates that rediss:// connections trust instead of the JVM's default ones, e.g. a private CA's;"
                    + " for this store only. The server's host name is verified against its certificate.",
            RedisTls::trustStoreFile);

    static final Setting<String> TRUST_STORE_PASSWORD = Setting.of("redisTrustStorePassword", "",
            "empty, or the password of the redisTrustStore file",
            "Password of a PKCS12 or JKS redisTrustStore (masked in every message); none needed for PEM.",
            raw -> raw).secret();

    static final List<Setting<?>> ALL = List.of(REDIS_URI, REDIS_CLUSTER, KEY_PREFIX_SETTING, TIMEOUT_MILLIS,
            TTL_GRACE_SECONDS, WAIT_REPLICAS, TRUST_STORE, TRUST_STORE_PASSWORD);

    private RedisSettings() {
    }
}
