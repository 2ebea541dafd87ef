package io.sessioncluster.store.redis;

import io.lettuce.core.KillArgs;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.EvictionRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the eviction channel does beyond the contract: it drops what is not a well-formed message, and tells the
 * listener it may have missed evictions after its subscription was cut. On a redis-server of our own, because
 * cutting every pub/sub client of a shared Redis would disturb others.
 */
@Timeout(60)
class RedisEvictionChannelIT {

    private static final String PREFIX = RedisTestServer.randomPrefix("evictions");
    private static final String CHANNEL = PREFIX + "evictions";
    private static RedisProcess server;
    private static RedisTestServer.Raw raw;

    @BeforeAll
    static void start() {
        assertTrue(RedisProcess.available(), "these tests start their own redis-server; install it or set REDIS_SERVER_BIN (now: " + RedisProcess.SERVER_BIN + ")");
        server = RedisProcess.launch();
        raw = RedisTestServer.raw(server.uri());
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void malformedMessagesAreDroppedWithOneRateLimitedLogLine() {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(EvictionChannel.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (SessionStore sender = open(); SessionStore receiver = open()) {
            EvictionRecorder recorder = new EvictionRecorder();
            receiver.subscribeEvictions(recorder);
            awaitHears(sender, recorder);

            for (String garbage : List.of("garbage", " ABCD", "node ", "node bad id!", "node a..b", "node " + "x".repeat(300))) {
                raw.sync().publish(bytes(CHANNEL), bytes(garbage));
            }
            raw.sync().publish(bytes(CHANNEL), new byte[] {(byte) 0xff, 0, ' ', 'A'});
            raw.sync().publish(bytes(CHANNEL), bytes("someOtherNode VALID-id_1.route"));

            await(() -> recorder.evicted.contains("VALID-id_1"), "the well-formed message after the garbage");
            assertThat(recorder.evicted).allMatch(id -> id.equals("VALID-id_1") || id.startsWith("probe"));
            assertThat(logged).filteredOn(r -> r.getLevel() == Level.WARNING
                    && String.valueOf(r.getMessage()).contains("dropped malformed message")).hasSize(1);
            assertThat(logged).noneMatch(r -> String.valueOf(r.getParameters() == null ? "" : List.of(r.getParameters()))
                    .contains("bad id!"));
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void aCutSubscriptionIsRestoredAndReportedAsMissedEvictions() {
        try (SessionStore sender = open(); SessionStore receiver = open()) {
            EvictionRecorder recorder = new EvictionRecorder();
            receiver.subscribeEvictions(recorder);
            awaitHears(sender, recorder);
            assertThat(recorder.missed).hasValue(0);

            raw.sync().clientKill(KillArgs.Builder.typePubsub());

            await(() -> recorder.missed.get() > 0, "missedEvictions after the re-subscription");
            awaitHears(sender, recorder);
        }
    }

    private static SessionStore open() {
        return RedisTestServer.open(PREFIX, Map.of("redisUri", server.uri()));
    }

    private static void awaitHears(SessionStore sender, EvictionRecorder receiver) {
        String probe = "probe" + System.nanoTime();
        await(() -> {
            sender.announceEviction(probe);
            RedisProcess.sleep(50);
            return receiver.evicted.contains(probe);
        }, "an announcement from the other node");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not seen within 10 s: " + what);
            }
            RedisProcess.sleep(20);
        }
    }
}
