package io.sessioncluster.store.redis;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For tests that start redis-server processes of their own: checks the binary is there before each test, and
 * closes what the test kept after it, newest first (stores before the servers they use). Register it as an
 * instance field: {@code @RegisterExtension final OwnedResources resources = new OwnedResources();}.
 */
final class OwnedResources implements BeforeEachCallback, AfterEachCallback {

    private final List<AutoCloseable> kept = new ArrayList<>();

    <T extends AutoCloseable> T keep(T resource) {
        kept.add(resource);
        return resource;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        assertTrue(RedisProcess.available(), "these tests start their own redis-server; install it or set"
                + " REDIS_SERVER_BIN (now: " + RedisProcess.SERVER_BIN + ")");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = kept.size() - 1; i >= 0; i--) {
            kept.get(i).close();
        }
        kept.clear();
    }
}
