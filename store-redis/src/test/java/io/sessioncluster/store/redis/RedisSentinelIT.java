package io.sessioncluster.store.redis;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

/**
 * The {@link SessionStoreContract} through Redis Sentinel: a master and one Sentinel of our own, started from
 * the {@code redis-server} binary; the store finds the master by asking the Sentinel.
 */
class RedisSentinelIT extends SessionStoreContract {

    private static final String PREFIX = RedisTestServer.randomPrefix("sentinel");
    private static RedisProcess master;
    private static RedisProcess sentinel;
    private static RedisTestServer.Raw raw;

    @BeforeAll
    static void startServers() {
        assertTrue(RedisProcess.available(), "these tests start their own redis-server; install it or set REDIS_SERVER_BIN (now: " + RedisProcess.SERVER_BIN + ")");
        master = RedisProcess.launch();
        sentinel = RedisProcess.launchSentinel("sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1\n"
                + "sentinel down-after-milliseconds mymaster 5000\n");
        raw = RedisTestServer.raw(master.uri());
    }

    @AfterAll
    static void stopServers() {
        if (raw != null) {
            raw.close();
        }
        if (sentinel != null) {
            sentinel.close();
        }
        if (master != null) {
            master.close();
        }
    }

    @Override
    protected SessionStore openStore() {
        return RedisTestServer.open(PREFIX, Map.of("redisUri",
                "redis-sentinel://127.0.0.1:" + sentinel.port() + "/0#mymaster"));
    }

    @Override
    protected void clearBackend() {
        raw.deleteKeys(PREFIX);
    }
}
