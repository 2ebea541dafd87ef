package io.sessioncluster.store.redis;

import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every setting's parsing and every configuration error message; no Redis needed. */
class RedisSettingsTest {

    private final SessionStoreProvider provider = new RedisSessionStoreProvider();

    private Settings parse(Map<String, String> raw) {
        return Settings.parse(provider.settings(), raw);
    }

    @Test
    void providerIsFoundByName() {
        assertThat(SessionStores.discover(getClass().getClassLoader()).get("redis"))
                .isInstanceOf(RedisSessionStoreProvider.class);
    }

    @Test
    void defaults() {
        Settings settings = parse(Map.of());
        assertThat(settings.get(RedisSettings.REDIS_URI).masked()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(settings.get(RedisSettings.REDIS_CLUSTER)).isFalse();
        assertThat(settings.get(RedisSettings.KEY_PREFIX_SETTING)).isEqualTo("sc:");
        assertThat(settings.get(RedisSettings.TIMEOUT_MILLIS)).isEqualTo(2000);
        assertThat(settings.get(RedisSettings.TTL_GRACE_SECONDS)).isEqualTo(300);
        assertThat(settings.get(RedisSettings.WAIT_REPLICAS)).isZero();
        assertThat(settings.get(RedisSettings.TRUST_STORE)).isEmpty();
        assertThat(settings.get(RedisSettings.TRUST_STORE_PASSWORD)).isEmpty();
        assertThat(RedisSettings.TRUST_STORE_PASSWORD.isSecret()).isTrue();
        assertThat(provider.settings()).allSatisfy(s -> assertThat(s.description()).isNotBlank());
        assertThat(RedisSettings.REDIS_URI.isSecret()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "redis://localhost",
            "redis://h:6380/3",
            "rediss://tls.example:6379",
            "redis://user:p%40ss@h:6379/0",
            "redis://:password-only@h",
            "redis-sentinel://h1:26379,h2:26379/0#mymaster",
            "rediss-sentinel://secret@h1:26379/0#mymaster",
            "redis://h1:7000,h2:7001,h3:7002",
            "redis://[::1]:6379/1"})
    void acceptedUris(String uri) {
        assertThat(parse(Map.of("redisUri", uri)).get(RedisSettings.REDIS_URI).uris()).isNotEmpty();
    }

    @Test
    void standaloneUriKeepsDatabaseAndTls() {
        RedisEndpoint endpoint = parse(Map.of("redisUri", "rediss://h:6380/3")).get(RedisSettings.REDIS_URI);
        assertThat(endpoint.uris()).singleElement().satisfies(u -> {
            assertThat(u.getDatabase()).isEqualTo(3);
            assertThat(u.isSsl()).isTrue();
            assertThat(u.getPort()).isEqualTo(6380);
        });
    }

    @Test
    void sentinelUriKeepsMasterAndSentinels() {
        RedisEndpoint endpoint = parse(Map.of("redisUri", "redis-sentinel://h1:26379,h2:26380/0#mymaster"))
                .get(RedisSettings.REDIS_URI);
        assertThat(endpoint.sentinel()).isTrue();
        assertThat(endpoint.uris().get(0).getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(endpoint.uris().get(0).getSentinels()).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "localhost:6379                            | not a URI; it must start with one of redis://",
            "http://user:hunter2@h:80                  | scheme must be one of redis://, rediss://",
            "redis://user:hunter2@h:notaport           | a port is a number from 1 to 65535",
            "redis://user:hunter2@h:99999              | not a valid Redis URI",
            "redis://user:hunter2@h:6379/abc           | not a valid Redis URI",
            "redis://user:hunter2@                     | no host given",
            "redis://user:hunter2@h1:1,:2              | no host given",
            "redis-sentinel://user:hunter2@h:26379/0   | a Sentinel URI names its master after '#'"})
    void badUrisAreRejectedWithoutEchoingThePassword(String uri, String message) {
        assertThatThrownBy(() -> parse(Map.of("redisUri", uri)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisUri [****]: allowed are a Redis URI")
                .hasMessageContaining(message)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void maskHidesPasswordsOnly() {
        assertThat(RedisEndpoint.mask("redis://user:hunter2@h:6379/0")).isEqualTo("redis://user:****@h:6379/0");
        assertThat(RedisEndpoint.mask("redis://hunter2@h")).isEqualTo("redis://****@h");
        assertThat(RedisEndpoint.mask("redis://:hunter2@h")).isEqualTo("redis://:****@h");
        assertThat(RedisEndpoint.mask("redis://u:p@ss@h/0#x@y")).isEqualTo("redis://u:****@h/0#x@y");
        assertThat(RedisEndpoint.mask("redis-sentinel://pw@h1:1,h2:2/0#m")).isEqualTo("redis-sentinel://****@h1:1,h2:2/0#m");
        assertThat(RedisEndpoint.mask("redis://h:6379")).isEqualTo("redis://h:6379");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "star*", "glob?", "{tag}", "ünïcode", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void badKeyPrefixes(String prefix) {
        assertThatThrownBy(() -> parse(Map.of("keyPrefix", prefix)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keyPrefix [" + prefix.trim() + "]: allowed are 1 to 64 characters of A-Z a-z 0-9 _ . : -");
    }

    @Test
    void numbersAndBooleans() {
        assertThatThrownBy(() -> parse(Map.of("redisTimeoutMillis", "0", "ttlGraceSeconds", "-1", "redisCluster", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTimeoutMillis [0]: allowed are an integer from 10 to 600000")
                .hasMessageContaining("ttlGraceSeconds [-1]: allowed are an integer from 0 to 604800")
                .hasMessageContaining("redisCluster [yes]: allowed are true, false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "17", "one", "1.5"})
    void badWaitReplicas(String value) {
        assertThatThrownBy(() -> parse(Map.of("redisWaitReplicas", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisWaitReplicas [" + value + "]: allowed are an integer from 0 to 16");
    }

    @Test
    void waitReplicasAccepted() {
        assertThat(parse(Map.of("redisWaitReplicas", "16")).get(RedisSettings.WAIT_REPLICAS)).isEqualTo(16);
        assertThat(RedisSettings.WAIT_REPLICAS.description()).contains("Redis WAIT").contains("redisTimeoutMillis");
    }

    @Test
    void waitReplicasIsRefusedOnClusterAtOpen() {
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "redis://u:hunter2@h:7000", "redisCluster", "true",
                "redisWaitReplicas", "1")), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisWaitReplicas [1]: not supported with redisCluster=true")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void combinationsAreCheckedAtOpenWithPasswordMasked() {
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "redis://u:hunter2@h1:1,h2:2")), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisUri [redis://u:****@h1:1,h2:2]: several hosts need redisCluster=true")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "redis-sentinel://h:26379/0#m", "redisCluster", "true")), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("a redis-sentinel:// URI cannot be used with redisCluster=true");
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "redis://h:7000/2", "redisCluster", "true")), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Redis Cluster has only database 0");
    }

    @Test
    void trustStoreMustBeAReadableFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ca.pem"), "x");
        assertThat(parse(Map.of("redisTrustStore", file.toString())).get(RedisSettings.TRUST_STORE)).isEqualTo(Optional.of(file));
        assertThatThrownBy(() -> parse(Map.of("redisTrustStore", dir.resolve("missing.p12").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStore [" + dir.resolve("missing.p12") + "]: allowed are empty, or the path of a"
                        + " readable PKCS12 or JKS trust store or PEM file of CA certificates (no such file)");
        assertThatThrownBy(() -> parse(Map.of("redisTrustStore", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(not a readable file)");
    }

    @Test
    void trustStoreIsCheckedAtOpenWithPasswordMasked(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.p12"), "not a trust store");
        Path badPem = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        Path empty = dir.resolve("empty.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(empty)) {
            store.store(out, "right-hunter2".toCharArray());
        }
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "rediss://h", "redisTrustStore", garbage.toString())), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStore [" + garbage + "]: cannot load it as a PKCS12 or JKS trust store or a PEM file of certificates");
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "rediss://h", "redisTrustStore", badPem.toString())), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStore [" + badPem + "]: cannot load it");
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "rediss://h", "redisTrustStore", empty.toString(),
                "redisTrustStorePassword", "wrong-hunter2")), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStore [" + empty + "]: cannot load it")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "rediss://h", "redisTrustStore", empty.toString(),
                "redisTrustStorePassword", "right-hunter2")), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStore [" + empty + "]: holds no certificates")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "redis://u:hunter2@h", "redisTrustStore", garbage.toString())), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStore [" + garbage + "]: set, but redisUri [redis://u:****@h] is not a TLS URI")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> provider.open(parse(Map.of("redisUri", "rediss://h", "redisTrustStorePassword", "hunter2")), "/x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStorePassword [****]: set, but redisTrustStore is not")
                .hasMessageNotContaining("hunter2");
    }
}
