package io.sessioncluster.store.redis;

import io.lettuce.core.api.sync.RedisCommands;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link SessionStoreContract} on a Redis Cluster of three masters of our own, joined with
 * {@code redis-cli --cluster create}. Proves that every script touches one key (no CROSSSLOT) and that
 * {@code changeId} works across slots.
 */
class RedisClusterIT extends SessionStoreContract {

    private static final String CLI_BIN = envOr("REDIS_CLI_BIN", "redis-cli");
    private static final String PREFIX = RedisTestServer.randomPrefix("cluster");
    private static final List<RedisProcess> NODES = new ArrayList<>();
    private static final List<RedisTestServer.Raw> RAW = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        assertTrue(RedisProcess.available(), "these tests start their own redis-server; install it or set REDIS_SERVER_BIN (now: " + RedisProcess.SERVER_BIN + ")");
        List<String> create = new ArrayList<>(List.of(CLI_BIN, "--cluster", "create"));
        for (int i = 0; i < 3; i++) {
            RedisProcess node = RedisProcess.launchClusterNode();
            NODES.add(node);
            create.add("127.0.0.1:" + node.port());
        }
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        RedisProcess.run(create, 60);
        for (RedisProcess node : NODES) {
            RAW.add(RedisTestServer.raw(node.uri()));
        }
        awaitClusterOk();
    }

    private static void awaitClusterOk() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            boolean ok = RAW.stream().allMatch(raw -> raw.sync().clusterInfo().contains("cluster_state:ok"));
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster did not reach state ok within 30 s");
            }
            RedisProcess.sleep(100);
        }
    }

    @AfterAll
    static void stopCluster() {
        RAW.forEach(RedisTestServer.Raw::close);
        RAW.clear();
        NODES.forEach(RedisProcess::close);
        NODES.clear();
    }

    @Override
    protected SessionStore openStore() {
        return RedisTestServer.open(PREFIX, Map.of("redisUri", NODES.get(0).uri(), "redisCluster", "true"));
    }

    @Override
    protected void clearBackend() {
        RAW.forEach(raw -> raw.deleteKeys(PREFIX));
    }

    @Test
    void sessionsSpreadOverTheMasters() {
        Set<Integer> nodesWithSessions = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            store.write(new ChangeSet("SPREAD" + i, true, now, now, 60, Map.of("a", bytes("1")), Set.of()));
        }
        for (int n = 0; n < RAW.size(); n++) {
            RedisCommands<byte[], byte[]> node = RAW.get(n).sync();
            if (!node.keys(PREFIX + "s:*").isEmpty()) {
                nodesWithSessions.add(n);
            }
        }
        assertThat(nodesWithSessions).hasSize(3);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
