package io.sessioncluster.store.redis;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/** The shared {@link SessionStoreContract}, on a standalone Redis. */
class RedisSessionStoreIT extends SessionStoreContract {

    private static final String PREFIX = RedisTestServer.randomPrefix("contract");
    private static RedisTestServer.Raw raw;

    @BeforeAll
    static void connect() {
        raw = RedisTestServer.raw();
    }

    @AfterAll
    static void cleanUp() {
        raw.deleteKeys(PREFIX);
        raw.close();
    }

    @Override
    protected SessionStore openStore() {
        return RedisTestServer.open(PREFIX, Map.of());
    }

    @Override
    protected void clearBackend() {
        raw.deleteKeys(PREFIX);
    }
}
