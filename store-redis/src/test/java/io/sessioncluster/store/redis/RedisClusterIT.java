package io.sessioncluster.store.redis;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionPage;
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

    @Test
    void aNamesSessionsOnEveryMasterAreAnsweredWalkedAndLeaveNothingBehind() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String id = "USER" + i;
            ids.add(id);
            store.write(new ChangeSet(id, true, now, now, 60, Map.of(), Set.of())
                    .withPrincipal(PrincipalChange.to("{alice}"))); // braces: a hash tag, were the name in a key
        }
        Set<Integer> nodesWithSessions = new HashSet<>();
        for (int n = 0; n < RAW.size(); n++) {
            if (!RAW.get(n).sync().keys(PREFIX + "s:USER*").isEmpty()) {
                nodesWithSessions.add(n);
            }
        }
        assertThat(nodesWithSessions).hasSize(3);

        assertThat(node().sessionsOf("{alice}")).containsExactlyInAnyOrderElementsOf(ids);
        Set<String> walked = new HashSet<>();
        String cursor = null;
        do {
            SessionPage page = node().page(cursor, 7);
            page.sessions().forEach(summary -> walked.add(summary.id()));
            cursor = page.next();
        } while (cursor != null);
        assertThat(walked).isEqualTo(ids);

        ids.forEach(store::delete);
        for (RedisTestServer.Raw raw : RAW) {
            assertThat(raw.sync().keys(PREFIX + "p:*")).isEmpty();
        }
    }

    @Test
    void aSweepReturnsWhatOtherNodesClaimedWhileOneNodeDoesNotAnswer() {
        String prefix = RedisTestServer.randomPrefix("clustersweep");
        long expired = System.currentTimeMillis() - 300_000;
        int pausedNode = -1;
        try (SessionStore sweeper = RedisTestServer.open(prefix, Map.of("redisUri", NODES.get(0).uri(),
                "redisCluster", "true", "redisTimeoutMillis", "1000"))) {
            // X is first in the index (expired earlier); Y lives on another master.
            sweeper.write(new ChangeSet("SWEEPX", true, expired, expired, 60, Map.of("a", bytes("x")), Set.of()));
            pausedNode = nodeHolding(prefix, "SWEEPX");
            String y = null;
            for (int i = 0; y == null; i++) {
                String candidate = "SWEEPY" + i;
                sweeper.write(new ChangeSet(candidate, true, expired + 1000, expired + 1000, 60, Map.of("a", bytes("y")), Set.of()));
                if (nodeHolding(prefix, candidate) != pausedNode) {
                    y = candidate;
                } else {
                    sweeper.delete(candidate);
                }
            }
            // X's node stops answering scripts (CLIENT PAUSE WRITE: reads such as the index query still work).
            RAW.get(pausedNode).connection().async().dispatch(CommandType.CLIENT, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).add("PAUSE").add(3000).add("WRITE"));
            RedisProcess.sleep(100);

            List<SessionRecord> claimed = sweeper.claimExpired(System.currentTimeMillis(), 10);

            // Y was claimed, so deleted from Redis: this pass is the only one that can ever return it.
            assertThat(claimed).extracting(SessionRecord::id).containsExactly(y);
            assertThat(sweeper.load(y)).isEmpty();
        } finally {
            if (pausedNode >= 0) {
                RAW.get(pausedNode).connection().async().dispatch(CommandType.CLIENT, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                        new CommandArgs<>(ByteArrayCodec.INSTANCE).add("UNPAUSE"));
            }
            RAW.forEach(raw -> raw.deleteKeys(prefix));
        }
    }

    private static int nodeHolding(String prefix, String id) {
        for (int n = 0; n < RAW.size(); n++) {
            if (!RAW.get(n).sync().keys(prefix + "s:" + id).isEmpty()) { // KEYS: local keys only, no MOVED
                return n;
            }
        }
        throw new AssertionError("no node holds " + id);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
