package io.sessioncluster.store.redis;

import io.lettuce.core.api.sync.RedisCommands;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static io.sessioncluster.store.redis.RedisTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the user's sessions index costs the hot path: the commands a logged-in session's write, touch and unlock send,
 * counted by a Redis server of the test's own ({@code INFO commandstats} deltas, so no other build's commands). The
 * name's set is extended only when the extension recorded in the hash ({@code #pe}) is due, about once per timeout
 * period: every other request sends exactly what an anonymous one does. Every script on a name's set, and only those,
 * tidies it with {@code ZREMRANGEBYSCORE}: its count is the number of commands the set received. The figures are
 * printed.
 */
@Timeout(60)
class RedisPrincipalIndexCostIT {

    private static final String PREFIX = RedisTestServer.randomPrefix("index-cost");
    private static final int MAX_INACTIVE = 1800;
    private static final long TTL = (MAX_INACTIVE + 60) * 1000L;

    private static RedisProcess server;
    private static RedisTestServer.Raw raw;
    private static RedisCommands<byte[], byte[]> redis;
    private static SessionStore store;
    private static long now;

    @BeforeAll
    static void start() {
        assertTrue(RedisProcess.available(), "this test starts its own redis-server; install it or set"
                + " REDIS_SERVER_BIN (now: " + RedisProcess.SERVER_BIN + ")");
        server = RedisProcess.launch();
        raw = RedisTestServer.raw(server.uri());
        redis = raw.sync();
        store = RedisTestServer.open(PREFIX, Map.of("redisUri", server.uri(), "ttlGraceSeconds", "60"));
        now = System.currentTimeMillis();
        // Every script once, so that none is counted as NOSCRIPT then EVAL below.
        store.write(login("WARMUP", "warm"));
        dueNow("WARMUP");
        store.touch(List.of(new Touch("WARMUP", now + 1)));
        dueNow("WARMUP");
        store.write(update("WARMUP", 2));
        long token = ((LockAttempt.Granted) store.lock("WARMUP", 60_000)).token();
        dueNow("WARMUP");
        store.unlock("WARMUP", token, new Touch("WARMUP", now + 3));
        store.delete("WARMUP");
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (raw != null) {
            raw.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ChangeSet login(String id, String name) {
        return new ChangeSet(id, true, now, now, MAX_INACTIVE, Map.of("a", bytes("1")), Set.of())
                .withPrincipal(PrincipalChange.to(name));
    }

    private static ChangeSet update(String id, long accessed) {
        return new ChangeSet(id, false, now, now + accessed, MAX_INACTIVE, Map.of("b", bytes("2")), Set.of());
    }

    private static byte[] key(String id) {
        return bytes(PREFIX + "s:" + id);
    }

    private static byte[] setOf(String name) {
        return bytes(PREFIX + "p:" + PrincipalNames.keyPart(PrincipalNames.encode(name)));
    }

    /**
     * As if a timeout period of activity had passed since the name's set was last extended: the extension the hash
     * records ends now, and so do the member's score and the set's TTL.
     */
    private static void dueNow(String id) {
        long redisNow = redisTime();
        redis.hset(key(id), bytes("#pe"), bytes(Long.toString(redisNow)));
        byte[] name = redis.hget(key(id), bytes("#p"));
        redis.zadd(setOf(text(name)), redisNow + 2_000.0, bytes(id));
        redis.pexpire(setOf(text(name)), 2_000);
    }

    @Test
    void aWriteTouchAndUnlockWhoseExtensionIsNotDueSendNothingToTheNamesSet() {
        store.write(login("QUIET", "alice"));
        long setTtl = redis.pttl(setOf("alice"));

        Map<String, Long> write = counted(() -> store.write(update("QUIET", 10)));
        Map<String, Long> touch = counted(() -> store.touch(List.of(new Touch("QUIET", now + 20))));
        long token = ((LockAttempt.Granted) store.lock("QUIET", 60_000)).token();
        Map<String, Long> unlock = counted(() -> store.unlock("QUIET", token, new Touch("QUIET", now + 30)));
        print("not due", write, touch, unlock);

        // The write's script and its expiry index entry; the touch's and the unlock's script: nothing else.
        assertThat(clientCommands(write)).isEqualTo(Map.of("evalsha", 1L, "zadd", 1L));
        assertThat(clientCommands(touch)).isEqualTo(Map.of("evalsha", 1L));
        assertThat(clientCommands(unlock)).isEqualTo(Map.of("evalsha", 1L));
        assertThat(setCommands(write) + setCommands(touch) + setCommands(unlock)).isZero();
        // Still far ahead of the session: the set lives longer than it, with a timeout period to spare.
        assertThat(redis.pttl(setOf("alice"))).isCloseTo(setTtl, within(5_000L))
                .isGreaterThan(redis.pttl(key("QUIET")) + MAX_INACTIVE * 1000L / 3);
    }

    @Test
    void aWriteTouchOrUnlockWhoseExtensionIsDueSendsExactlyOneCommandToTheNamesSetThenNoneUntilTheNextIsDue() {
        store.write(login("DUE", "bob"));

        dueNow("DUE");
        Map<String, Long> write = counted(() -> store.write(update("DUE", 10)));
        assertExtended("DUE", "bob");
        Map<String, Long> writeAfter = counted(() -> store.write(update("DUE", 11)));

        dueNow("DUE");
        Map<String, Long> touch = counted(() -> store.touch(List.of(new Touch("DUE", now + 20))));
        assertExtended("DUE", "bob");
        Map<String, Long> touchAfter = counted(() -> store.touch(List.of(new Touch("DUE", now + 21))));

        dueNow("DUE");
        long token = ((LockAttempt.Granted) store.lock("DUE", 60_000)).token();
        Map<String, Long> unlock = counted(() -> store.unlock("DUE", token, new Touch("DUE", now + 30)));
        assertExtended("DUE", "bob");
        print("due", write, touch, unlock);

        assertThat(clientCommands(write)).isEqualTo(Map.of("evalsha", 2L, "zadd", 1L));
        assertThat(clientCommands(touch)).isEqualTo(Map.of("evalsha", 2L));
        assertThat(clientCommands(unlock)).isEqualTo(Map.of("evalsha", 2L));
        assertThat(List.of(setCommands(write), setCommands(touch), setCommands(unlock))).containsOnly(1L);
        assertThat(setCommands(writeAfter) + setCommands(touchAfter)).isZero();
        assertThat(clientCommands(writeAfter)).isEqualTo(Map.of("evalsha", 1L, "zadd", 1L));
        assertThat(clientCommands(touchAfter)).isEqualTo(Map.of("evalsha", 1L));
    }

    @Test
    void aBatchOfTouchesSendsTheDueExtensionsOnlyAndAllInOneRound() {
        List<Touch> touches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "BATCH" + i;
            store.write(login(id, "carol" + i % 2));
            touches.add(new Touch(id, now + 100 + i));
        }
        dueNow("BATCH1");
        dueNow("BATCH4");

        Map<String, Long> batch = counted(() -> store.touch(touches));

        assertThat(clientCommands(batch)).isEqualTo(Map.of("evalsha", 8L)); // six touches, two extensions
        assertThat(setCommands(batch)).isEqualTo(2);
        assertExtended("BATCH1", "carol1");
        assertExtended("BATCH4", "carol0");
    }

    /** The set outlives the session by about one more timeout period, and the hash records that. */
    private static void assertExtended(String id, String name) {
        long session = redis.pttl(key(id));
        long set = redis.pttl(setOf(name));
        assertThat(set).isGreaterThanOrEqualTo(session).isCloseTo(TTL + MAX_INACTIVE * 1000L, within(5_000L));
        long recorded = Long.parseLong(text(redis.hget(key(id), bytes("#pe")))) - redisTime();
        assertThat(recorded).isBetween(session, set);
    }

    private static void print(String what, Map<String, Long> write, Map<String, Long> touch, Map<String, Long> unlock) {
        System.out.printf("[figures] logged-in session, extension %s: write %s (%d on the name's set),"
                        + " touch %s (%d), unlock %s (%d)%n", what, clientCommands(write), setCommands(write),
                clientCommands(touch), setCommands(touch), clientCommands(unlock), setCommands(unlock));
    }

    /** What the clients sent: scripts, and plain commands outside scripts (this test's operations send ZADD only). */
    private static Map<String, Long> clientCommands(Map<String, Long> delta) {
        Map<String, Long> sent = new TreeMap<>();
        for (String command : List.of("evalsha", "eval")) {
            if (delta.containsKey(command)) {
                sent.put(command, delta.get(command));
            }
        }
        long indexAdds = delta.getOrDefault("zadd", 0L) - setCommands(delta); // each set script adds at most once
        if (indexAdds > 0) {
            sent.put("zadd", indexAdds);
        }
        return sent;
    }

    private static long setCommands(Map<String, Long> delta) {
        return delta.getOrDefault("zremrangebyscore", 0L);
    }

    /** The calls per command {@code action} made the server run, scripts' own commands included. */
    private static Map<String, Long> counted(Runnable action) {
        Map<String, Long> before = commandStats();
        action.run();
        Map<String, Long> after = commandStats();
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((command, calls) -> {
            long d = calls - before.getOrDefault(command, 0L);
            if (d > 0 && !command.equals("info")) {
                delta.put(command, d);
            }
        });
        return delta;
    }

    private static Map<String, Long> commandStats() {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : redis.info("commandstats").split("\r?\n")) {
            // cmdstat_evalsha:calls=3,usec=40,usec_per_call=13.33,rejected_calls=0,failed_calls=0
            if (line.startsWith("cmdstat_")) {
                String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                String stats = line.substring(line.indexOf(':') + 1);
                for (String stat : stats.split(",")) {
                    if (stat.startsWith("calls=")) {
                        calls.put(command, Long.parseLong(stat.substring("calls=".length())));
                    }
                }
            }
        }
        return calls;
    }

    private static long redisTime() {
        List<byte[]> time = redis.time();
        return Long.parseLong(text(time.get(0))) * 1000 + Long.parseLong(text(time.get(1))) / 1000;
    }
}
