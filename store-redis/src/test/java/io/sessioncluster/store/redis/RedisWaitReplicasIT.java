package io.sessioncluster.store.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code redisWaitReplicas} where the script cache is empty (after a restart or a failover): the write script
 * then runs as {@code EVAL} after the pipelined {@code WAIT}, and the {@code WAIT} must still cover it.
 */
@Timeout(60)
class RedisWaitReplicasIT {

    private static final int TIMEOUT_MILLIS = 2000;

    @RegisterExtension
    final OwnedResources resources = new OwnedResources();




    @Test
    void aWriteResentAsEvalIsStillCoveredByWait() {
        RedisProcess master = resources.keep(RedisProcess.launch("--enable-debug-command", "yes"));
        RedisProcess replica = resources.keep(RedisProcess.launch("--replicaof", "127.0.0.1", Integer.toString(master.port()),
                "--enable-debug-command", "yes"));
        RedisTestServer.Raw rawMaster = resources.keep(RedisTestServer.raw(master.uri()));
        RedisTestServer.Raw rawReplica = resources.keep(RedisTestServer.raw(replica.uri()));
        awaitOnlineReplica(rawMaster);
        SessionStore store = resources.keep(RedisTestServer.open(RedisTestServer.randomPrefix("waitnoscript"), Map.of(
                "redisUri", master.uri(), "redisTimeoutMillis", Integer.toString(TIMEOUT_MILLIS), "redisWaitReplicas", "1")));
        long now = System.currentTimeMillis();
        assertThat(store.write(new ChangeSet("A", true, now, now, 600, Map.of("a", bytes("1")), Set.of())).status())
                .isEqualTo(WriteResult.Status.WRITTEN);
        // With the script cached now, a WAIT that covers everything this connection wrote so far.
        assertThat(store.write(new ChangeSet("A", false, now, now, 600, Map.of("a", bytes("2")), Set.of())).status())
                .isEqualTo(WriteResult.Status.WRITTEN);

        rawMaster.sync().scriptFlush(); // as after a restart or failover: the next EVALSHA answers NOSCRIPT
        awaitReplicaCaughtUp(rawMaster); // so a WAIT sent now returns 1 at once
        debugSleep(rawReplica, 5); // the replica stops acknowledging
        // Master busy for a moment: the write's EVALSHA, index ZADD and WAIT all reach it before its NOSCRIPT
        // reply reaches us, so the EVAL is sent after the WAIT, as it would be under load.
        debugSleep(rawMaster, 0.5);
        RedisProcess.sleep(100);

        // Same access time: the pipelined index ZADD changes nothing, so only the script writes.
        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> store.write(
                new ChangeSet("A", false, now, now, 600, Map.of("a", bytes("3")), Set.of())));
        long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertThat(thrown).as("a write no replica acknowledged").isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("redisWaitReplicas");
        assertThat(tookMillis).as("took %d ms", tookMillis).isLessThan(TIMEOUT_MILLIS + 1_000L);
    }

    private static void debugSleep(RedisTestServer.Raw server, double seconds) {
        server.connection().async().dispatch(CommandType.DEBUG, new StatusOutput<>(ByteArrayCodec.INSTANCE),
                new CommandArgs<>(ByteArrayCodec.INSTANCE).add("SLEEP").add(seconds));
    }

    /** Waits (bounded) until the replica acknowledged everything the master has sent it. */
    private static void awaitReplicaCaughtUp(RedisTestServer.Raw master) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String info = master.sync().info("replication");
            Matcher replica = Pattern.compile("slave0:.*,offset=(\\d+),").matcher(info);
            Matcher offset = Pattern.compile("master_repl_offset:(\\d+)").matcher(info);
            if (replica.find() && offset.find() && replica.group(1).equals(offset.group(1))) {
                return;
            }
            RedisProcess.sleep(100);
        }
        throw new AssertionError("timed out after 20 s waiting for the replica to catch up");
    }

    private static void awaitOnlineReplica(RedisTestServer.Raw master) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String info = master.sync().info("replication");
            if (info.contains("connected_slaves:1\r") && info.contains("state=online")) {
                return;
            }
            RedisProcess.sleep(100);
        }
        throw new AssertionError("timed out after 20 s waiting for the replica");
    }
}
