package io.sessioncluster.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a {@code rediss://} connection trusts when {@code redisTrustStore} is set: a PKCS12 or JKS
 * trust store, or a PEM file of CA certificates (what {@code redis-server --tls-ca-cert-file} takes). Loaded
 * once, at open, so that a wrong file or password is a configuration error rather than a failure at every
 * connection attempt. Only this store's client uses them; the JVM's {@code javax.net.ssl.trustStore} is left
 * alone.
 */
final class RedisTls {

    private RedisTls() {
    }

    /** The {@code redisTrustStore} parser: empty for none, else a readable regular file. */
    static Optional<Path> trustStoreFile(String raw) {
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(raw);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("not a readable file");
        }
        return Optional.of(path);
    }

    /**
     * Loads the trust store; an empty password means none (a PKCS12 trust store is then read without its
     * integrity check, as {@code keytool} does).
     *
     * @throws IllegalArgumentException with a message naming the problem, never the password
     */
    static TrustManagerFactory trustManagers(Path file, String password) {
        KeyStore store;
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(64);
            }
            if (new String(head, StandardCharsets.US_ASCII).stripLeading().startsWith("-----BEGIN")) {
                store = pem(file);
            } else {
                store = KeyStore.getInstance(file.toFile(), password.isEmpty() ? null : password.toCharArray());
            }
            if (store.size() == 0) {
                throw new IllegalArgumentException("holds no certificates");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            // Neither carries the password; IOException says e.g. "keystore password was incorrect".
            throw new IllegalArgumentException("cannot load it as a PKCS12 or JKS trust store or a PEM file of"
                    + " certificates: " + e.getMessage(), e);
        }
    }

    private static KeyStore pem(Path file) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }
}
