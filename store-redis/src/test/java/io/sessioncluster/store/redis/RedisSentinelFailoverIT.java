package io.sessioncluster.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static io.sessioncluster.store.redis.RedisTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A real Sentinel failover: a master, one replica and one Sentinel (quorum 1) of our own; the master is killed,
 * Sentinel promotes the replica, and the store must fail fast meanwhile, then find the new master by itself
 * (Lettuce asks the Sentinel again on every reconnect) with every write acknowledged under
 * {@code redisWaitReplicas=1} still there.
 */
@Timeout(120)
class RedisSentinelFailoverIT {

    private static final String MASTER = "failovermaster";
    private static final int TIMEOUT_MILLIS = 1000;
    private static final int SESSIONS = 50;

    @RegisterExtension
    final OwnedResources resources = new OwnedResources();




    @Test
    void acknowledgedWritesSurviveAFailoverAndTheStoreFollowsTheNewMaster() {
        RedisProcess master = resources.keep(RedisProcess.launch());
        RedisProcess replica = resources.keep(RedisProcess.launch("--replicaof", "127.0.0.1", Integer.toString(master.port())));
        awaitReplicas(master, 1);
        RedisProcess sentinel = resources.keep(RedisProcess.launchSentinel("sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 1\n"
                + "sentinel down-after-milliseconds " + MASTER + " 1000\n"
                + "sentinel failover-timeout " + MASTER + " 3000\n"));
        awaitSentinel(sentinel, "knows the replica", s -> s.sync().replicas(MASTER).stream()
                .anyMatch(r -> String.valueOf(replica.port()).equals(r.get("port")) && !r.get("flags").contains("down") && !r.get("flags").contains("disconnected")));

        SessionStore store = resources.keep(open(sentinel, 1));
        long now = System.currentTimeMillis();
        for (int i = 0; i < SESSIONS; i++) {
            WriteResult result = store.write(session("S" + i, now, "v" + i));
            assertThat(result.status()).isEqualTo(WriteResult.Status.WRITTEN);
        }
        assertThat(store.delete("S0")).isTrue(); // a delete is acknowledged the same way: it must stay deleted
        assertThat(store.changeId("S1", "R1")).isTrue(); // and a rename

        master.stop(); // SIGKILL: a crash, nothing more reaches the replica

        // Until Sentinel promoted the replica (>= down-after-milliseconds), operations fail fast; then they recover.
        int unavailable = 0;
        Optional<SessionRecord> found = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (found == null && System.nanoTime() < deadline) {
            long start = System.nanoTime();
            try {
                found = store.load("S2");
            } catch (StoreUnavailableException e) {
                unavailable++;
                RedisProcess.sleep(100);
            }
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(tookMillis).as("an operation during the failover took %d ms", tookMillis).isLessThan(TIMEOUT_MILLIS + 1_000L);
        }
        assertThat(found).as("store did not recover within 30 s of the master's death; sentinel log:%n%s", sentinel.log()).isNotNull();
        assertThat(unavailable).as("operations failed as unavailable while there was no master").isPositive();
        assertThat(masterPort(sentinel)).isEqualTo(replica.port());

        // Every acknowledged write is there on the promoted replica.
        assertThat(store.load("S0")).isEmpty();
        assertThat(store.load("S1")).isEmpty();
        assertThat(store.load("R1")).hasValueSatisfying(r -> assertThat(text(r.attributes().get("a"))).isEqualTo("v1"));
        for (int i = 2; i < SESSIONS; i++) {
            String id = "S" + i;
            String value = "v" + i;
            assertThat(store.load(id)).as(id).hasValueSatisfying(r -> assertThat(text(r.attributes().get("a"))).isEqualTo(value));
        }

        // The new master has no replica yet, so a write that must reach one is not acknowledged...
        assertThat(catchThrowable(() -> store.write(session("NEW", now, "x"))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("only 0 of 1 replicas");
        // ...until one follows it; a store without redisWaitReplicas writes at once.
        try (SessionStore unacknowledged = open(sentinel, 0)) {
            assertThat(unacknowledged.write(session("NEW0", now, "y")).status()).isEqualTo(WriteResult.Status.WRITTEN);
        }
        resources.keep(RedisProcess.launch("--replicaof", "127.0.0.1", Integer.toString(replica.port())));
        awaitReplicas(replica, 1);
        assertThat(store.write(session("NEW2", now, "z")).status()).isEqualTo(WriteResult.Status.WRITTEN);
        assertThat(store.load("NEW2")).isPresent();
        // The unacknowledged create was applied on the master all the same (WAIT cannot undo it): a retry sees it.
        assertThat(store.write(session("NEW", now, "x")).status()).isEqualTo(WriteResult.Status.ALREADY_EXISTS);
    }

    @Test
    void writeFailsAsUnavailableWhenTheReplicaDoesNotAcknowledge() {
        RedisProcess master = resources.keep(RedisProcess.launch());
        RedisProcess replica = resources.keep(RedisProcess.launch("--replicaof", "127.0.0.1", Integer.toString(master.port())));
        awaitReplicas(master, 1);
        SessionStore store = resources.keep(RedisTestServer.open(RedisTestServer.randomPrefix("wait"), Map.of(
                "redisUri", master.uri(), "redisTimeoutMillis", Integer.toString(TIMEOUT_MILLIS), "redisWaitReplicas", "1")));
        long now = System.currentTimeMillis();
        assertThat(store.write(session("A", now, "1")).status()).isEqualTo(WriteResult.Status.WRITTEN);
        assertThat(store.changeId("A", "B")).isTrue();

        replica.stop();
        awaitReplicas(master, 0);

        List<Runnable> writes = List.of(
                () -> store.write(session("C", now, "2")),
                () -> store.changeId("B", "D"),
                () -> store.delete("B"));
        for (Runnable write : writes) {
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(write::run);
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(thrown).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("redisWaitReplicas");
            assertThat(tookMillis).as("took %d ms", tookMillis).isLessThan(TIMEOUT_MILLIS + 1_000L);
        }
        // Reads do not wait for replicas, and the connection is usable once WAIT returned.
        assertThat(store.version("C")).isPresent(); // applied on the master, just not acknowledged
    }

    private static SessionStore open(RedisProcess sentinel, int waitReplicas) {
        return RedisTestServer.open(RedisTestServer.randomPrefix("failover"), Map.of(
                "redisUri", "redis-sentinel://127.0.0.1:" + sentinel.port() + "/0#" + MASTER,
                "redisTimeoutMillis", Integer.toString(TIMEOUT_MILLIS),
                "redisWaitReplicas", Integer.toString(waitReplicas)));
    }

    private static ChangeSet session(String id, long now, String value) {
        return new ChangeSet(id, true, now, now, 600, Map.of("a", bytes(value)), Set.of());
    }

    /** Waits (bounded) until exactly {@code count} replicas are online at {@code server}. */
    private static void awaitReplicas(RedisProcess server, int count) {
        try (RedisTestServer.Raw raw = RedisTestServer.raw(server.uri())) {
            await("replicas online at " + server.port() + " = " + count, () -> {
                String info = raw.connection().sync().info("replication");
                return info.contains("connected_slaves:" + count + "\r") && (count == 0 || info.contains("state=online"));
            });
        }
    }

    private static int masterPort(RedisProcess sentinel) {
        int[] port = new int[1];
        awaitSentinel(sentinel, "names a master", s -> {
            SocketAddress address = s.sync().getMasterAddrByName(MASTER);
            port[0] = address instanceof InetSocketAddress a ? a.getPort() : -1;
            return port[0] > 0;
        });
        return port[0];
    }

    private static void awaitSentinel(RedisProcess sentinel, String what,
                                      java.util.function.Predicate<StatefulRedisSentinelConnection<String, String>> condition) {
        RedisURI uri = RedisURI.create("redis://127.0.0.1:" + sentinel.port());
        uri.setTimeout(Duration.ofSeconds(5));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
            await("sentinel " + what, () -> condition.test(connection));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            RedisProcess.sleep(100);
        }
        throw new AssertionError("timed out after 20 s waiting until " + what);
    }
}
