package io.sessioncluster.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreUnavailableException;
import io.sessioncluster.testkit.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import javax.net.ssl.SSLException;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code rediss://} end to end: a TLS-only {@code redis-server} of our own with a throwaway CA and server
 * certificate made by {@code openssl} at test time; the store trusts that CA through {@code redisTrustStore}
 * (no JVM-wide {@code javax.net.ssl.*} properties, which would leak into other test classes). Runs the
 * {@link SessionStoreContract} over TLS, and checks that wrong trust or a plain client fail cleanly and in time.
 */
@Timeout(120)
class RedisTlsIT extends SessionStoreContract {

    private static final String PREFIX = RedisTestServer.randomPrefix("tls");
    private static final int SHORT_TIMEOUT_MILLIS = 1_000;
    private static Path certs;
    private static Path caCert;
    private static RedisProcess server;
    private static RedisTestServer.Raw raw;

    @BeforeAll
    static void startServer() throws IOException {
        assertTrue(RedisProcess.available(), "these tests start their own redis-server; install it or set REDIS_SERVER_BIN (now: " + RedisProcess.SERVER_BIN + ")");
        certs = Files.createTempDirectory("sc-redis-tls-");
        makeCertificates(certs);
        caCert = certs.resolve("ca.crt");
        server = RedisProcess.launchTls(certs.resolve("server.crt"), certs.resolve("server.key"), caCert);
        raw = rawTls(tlsUri("127.0.0.1"));
    }

    @AfterAll
    static void stopServer() {
        if (raw != null) {
            raw.close();
        }
        if (server != null) {
            server.close();
        }
        if (certs != null) {
            try (Stream<Path> files = Files.walk(certs)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is harmless
            }
        }
    }

    @Override
    protected SessionStore openStore() {
        return RedisTestServer.open(PREFIX, Map.of("redisUri", tlsUri("127.0.0.1"),
                "redisTrustStore", caCert.toString()));
    }

    @Override
    protected void clearBackend() {
        raw.deleteKeys(PREFIX);
    }

    @Test
    void hostNameInTheCertificateWorksToo() {
        try (SessionStore store = RedisTestServer.open(PREFIX, Map.of("redisUri", tlsUri("localhost"),
                "redisTrustStore", caCert.toString()))) {
            assertRoundTrip(store, "ID-host");
        }
    }

    @Test
    void pkcs12TrustStoreWithPassword() throws Exception {
        String password = "pw-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path p12 = pkcs12(password);
        try (SessionStore store = RedisTestServer.open(PREFIX, Map.of("redisUri", tlsUri("127.0.0.1"),
                "redisTrustStore", p12.toString(), "redisTrustStorePassword", password))) {
            assertRoundTrip(store, "ID-p12");
        }
        assertThatThrownBy(() -> RedisTestServer.open(PREFIX, Map.of("redisUri", tlsUri("127.0.0.1"),
                "redisTrustStore", p12.toString(), "redisTrustStorePassword", password + "-wrong")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redisTrustStore [" + p12 + "]: cannot load it as a PKCS12 or JKS trust store")
                .hasMessageNotContaining(password);
    }

    @Test
    void untrustedServerCertificateFailsCleanlyWithinTheTimeout() {
        // No redisTrustStore: the JVM's default CAs, which do not include our throwaway one.
        try (SessionStore store = RedisTestServer.open(PREFIX, Map.of("redisUri", tlsUri("127.0.0.1"),
                "redisTimeoutMillis", Integer.toString(SHORT_TIMEOUT_MILLIS)))) {
            Throwable thrown = assertFailsWithin(store);
            assertThat(thrown).hasMessageContaining("cannot connect to rediss://127.0.0.1:" + server.port());
            assertThat(causes(thrown)).anyMatch(SSLException.class::isInstance);
        }
    }

    @Test
    void plainClientAgainstTheTlsPortFailsCleanlyWithinTheTimeout() {
        try (SessionStore store = RedisTestServer.open(PREFIX, Map.of("redisUri", "redis://127.0.0.1:" + server.port(),
                "redisTimeoutMillis", Integer.toString(SHORT_TIMEOUT_MILLIS)))) {
            assertFailsWithin(store);
        }
    }

    private static Throwable assertFailsWithin(SessionStore store) {
        for (int attempt = 0; attempt < 2; attempt++) { // the background first attempt, then one on demand
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> store.load("ID1"));
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(thrown).isInstanceOf(StoreUnavailableException.class);
            assertThat(tookMillis).as("took %d ms", tookMillis).isLessThan(SHORT_TIMEOUT_MILLIS + 1_000L);
            if (attempt == 0) {
                RedisProcess.sleep(1_100); // past the once-per-second retry window: a real second attempt
            } else {
                return thrown;
            }
        }
        throw new AssertionError("unreachable");
    }

    private static void assertRoundTrip(SessionStore store, String id) {
        store.write(new ChangeSet(id, true, 1, 1, 60, Map.of("a", bytes("1")), Set.of()));
        assertThat(store.load(id)).hasValueSatisfying(r -> assertThat(r.attributes().get("a")).isEqualTo(bytes("1")));
        assertThat(store.delete(id)).isTrue();
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    private static String tlsUri(String host) {
        return "rediss://" + host + ":" + server.port();
    }

    /** A TLS raw connection that trusts our CA, for clearing keys behind the store's back. */
    private static RedisTestServer.Raw rawTls(String uri) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder().jdkSslProvider().trustManager(caCert.toFile()).build()).build());
        try {
            return new RedisTestServer.Raw(client, client.connect(ByteArrayCodec.INSTANCE));
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new IllegalStateException("cannot connect over TLS: " + e + "; server log: " + server.log(), e);
        }
    }

    /** A throwaway CA (ca.crt) and a server certificate it signed for 127.0.0.1 and localhost (server.crt/.key). */
    private static void makeCertificates(Path dir) throws IOException {
        try {
            RedisProcess.run(List.of("openssl", "version"), 10);
        } catch (RuntimeException e) {
            fail("RedisTlsIT makes throwaway certificates with openssl, which must be on the PATH: " + e.getMessage());
        }
        String d = dir.toString() + "/";
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "extendedKeyUsage=serverAuth\n");
        List<String> ec = List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes");
        RedisProcess.run(concat(List.of("openssl", "req", "-x509"), ec, List.of("-keyout", d + "ca.key",
                "-out", d + "ca.crt", "-days", "2", "-subj", "/CN=session-cluster test CA")), 30);
        RedisProcess.run(concat(List.of("openssl", "req"), ec, List.of("-keyout", d + "server.key",
                "-out", d + "server.csr", "-subj", "/CN=localhost")), 30);
        RedisProcess.run(List.of("openssl", "x509", "-req", "-in", d + "server.csr", "-CA", d + "ca.crt",
                "-CAkey", d + "ca.key", "-set_serial", "1", "-days", "2", "-extfile", d + "server.ext",
                "-out", d + "server.crt"), 30);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    /** The test CA in a password-protected PKCS12 trust store, made with the JDK (no keytool process). */
    private static Path pkcs12(String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = certs.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
