package io.sessioncluster.store.redis;

import io.lettuce.core.api.sync.RedisCommands;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static io.sessioncluster.store.redis.RedisTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The user's sessions index and the walk of {@code page} as they lie in Redis, read back with a plain Lettuce
 * connection: what the shared contract cannot see, above all that nothing of a name remains once its last session
 * has ended, however it ended.
 */
@Timeout(60)
class RedisPrincipalIndexIT {

    private static final String PREFIX = RedisTestServer.randomPrefix("principals");

    private RedisTestServer.Raw raw;
    private RedisCommands<byte[], byte[]> redis;
    private SessionStore store;
    private long now;

    @BeforeEach
    void open() {
        raw = RedisTestServer.raw();
        redis = raw.sync();
        store = RedisTestServer.open(PREFIX, Map.of("ttlGraceSeconds", "60"));
        now = System.currentTimeMillis();
    }

    @AfterEach
    void close() {
        store.close();
        raw.deleteKeys(PREFIX);
        raw.close();
    }

    private static byte[] key(String id) {
        return bytes(PREFIX + "s:" + id);
    }

    /** The documented key of a name's set: {@code <keyPrefix>p:} and lowercase hex of the name's UTF-8. */
    private static byte[] setOf(String name) {
        return bytes(PREFIX + "p:" + HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8)));
    }

    private ChangeSet create(String id, int maxInactive, String principal) {
        ChangeSet c = new ChangeSet(id, true, now, now, maxInactive, Map.of("a", bytes("1")), Set.of());
        return principal == null ? c : c.withPrincipal(PrincipalChange.to(principal));
    }

    private ChangeSet update(String id, int maxInactive) {
        return new ChangeSet(id, false, now, now, maxInactive, Map.of("b", bytes("2")), Set.of());
    }

    private List<String> principalKeys() {
        return redis.keys(PREFIX + "p:*").stream().map(RedisTestServer::text).toList();
    }

    /**
     * As if time had passed until the session's hash has a second left: its name's set is then due for extension, at
     * the latest (the extension recorded in {@code #pe} ends with the hash, and so do the entry and the set).
     */
    private void asIfTimePassed(String id, String name) {
        long redisNow = redisTime();
        redis.pexpire(key(id), 1_000);
        redis.hset(key(id), bytes("#pe"), bytes(Long.toString(redisNow + 1_000)));
        redis.zadd(setOf(name), redisNow + 1_000.0, bytes(id));
        redis.pexpire(setOf(name), 1_000);
    }

    /** Until when, in ms from now by Redis's clock, the hash says its name's set was extended. */
    private long extendedFor(String id) {
        return Long.parseLong(text(redis.hget(key(id), bytes("#pe")))) - redisTime();
    }

    @Test
    void aLoginIsTheFieldHashPAndOneSortedSetPerNameScoredByHowLongTheSessionMayLiveAndATimeoutMore() {
        store.write(create("LOGIN1", 600, "alice"));

        assertThat(text(redis.hget(key("LOGIN1"), bytes("#p")))).isEqualTo("alice");
        assertThat(principalKeys()).containsExactly(PREFIX + "p:616c696365");
        assertThat(redis.type(setOf("alice"))).isEqualTo("zset");
        long redisNow = redisTime();
        // TTL of the hash (600 s + 60 s grace), one timeout ahead (600 s) and the one-second margin, by Redis's clock.
        assertThat(redis.zscore(setOf("alice"), bytes("LOGIN1"))).isCloseTo(redisNow + 1_261_000.0, within(5_000.0));
        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(redis.pttl(key("LOGIN1")))
                .isCloseTo(1_261_000L, within(5_000L));
        // The hash counts on half the lead only: a login's entry is written beside it, perhaps a moment before.
        assertThat(extendedFor("LOGIN1")).isCloseTo(960_000L, within(5_000L));
    }

    @Test
    void theSetLivesAtLeastAsLongAsItsSessionOnceATouchExtendedIt() {
        store.write(create("TOUCHED", 10, "alice"));
        asIfTimePassed("TOUCHED", "alice");

        store.touch(List.of(new Touch("TOUCHED", now + 3_000)));

        long session = redis.pttl(key("TOUCHED"));
        assertThat(session).isCloseTo(70_000L, within(5_000L));
        // The session's 70 s, a lead of 10 s (the least: its timeout is 10 s) and the margin.
        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(session).isCloseTo(81_000L, within(5_000L));
        assertThat(extendedFor("TOUCHED")).isBetween(session, redis.pttl(setOf("alice")));
        assertThat(store.sessionsOf("alice")).containsExactly("TOUCHED");
    }

    @Test
    void theSetLivesAtLeastAsLongAsItsSessionAfterAWriteOrAnUnlockExtendedIt() {
        store.write(create("EXTENDED", 10, "alice"));
        asIfTimePassed("EXTENDED", "alice");

        store.write(update("EXTENDED", 1_800));
        long session = redis.pttl(key("EXTENDED"));
        assertThat(session).isCloseTo(1_860_000L, within(5_000L));
        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(session);

        store.write(update("EXTENDED", 10));
        // The timeout shrank: the entry comes back to the session's 70 s, a lead of 10 s and the margin.
        assertThat(redis.pttl(setOf("alice"))).isCloseTo(81_000L, within(5_000L));
        asIfTimePassed("EXTENDED", "alice");
        long token = ((LockAttempt.Granted) store.lock("EXTENDED", 60_000)).token();
        store.unlock("EXTENDED", token, new Touch("EXTENDED", now + 5_000));
        session = redis.pttl(key("EXTENDED"));
        assertThat(session).isCloseTo(70_000L, within(5_000L));
        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(session);
    }

    @Test
    void nothingOfANameRemainsOnceItsLastSessionIsDeleted() {
        store.write(create("DEL1", 600, "alice"));
        store.write(create("DEL2", 600, "alice"));

        store.delete("DEL1");
        assertThat(redis.zrange(setOf("alice"), 0, -1)).extracting(RedisTestServer::text).containsExactly("DEL2");

        store.delete("DEL2");
        assertThat(principalKeys()).isEmpty();
    }

    @Test
    void nothingOfANameRemainsOnceItsLastSessionIsClaimedOrSweptOrLogsOut() {
        store.write(create("CLAIMED", 1, "alice"));
        store.write(create("SWEPT", 1, "bob"));
        store.write(create("LOGOUT", 600, "carol"));

        assertThat(store.claimIfExpired("CLAIMED", now + 1_000)).isInstanceOf(ExpiryClaim.Claimed.class);
        assertThat(store.claimExpired(now + 1_000, 10)).extracting(r -> r.id()).containsExactly("SWEPT");
        store.write(update("LOGOUT", 600).withPrincipal(PrincipalChange.CLEARED));

        assertThat(principalKeys()).isEmpty();
        assertThat(redis.hexists(key("LOGOUT"), bytes("#p"))).isFalse();
    }

    @Test
    void changeIdMovesTheMemberAndALoginUnderAnotherNameEmptiesTheOldSet() {
        store.write(create("OLDID", 600, "alice"));

        assertThat(store.changeId("OLDID", "NEWID")).isTrue();
        assertThat(redis.zrange(setOf("alice"), 0, -1)).extracting(RedisTestServer::text).containsExactly("NEWID");
        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(redis.pttl(key("NEWID")));

        store.write(update("NEWID", 600).withPrincipal(PrincipalChange.to("bob")));
        assertThat(principalKeys()).containsExactly(PREFIX + "p:626f62");
    }

    @Test
    void aSetExpiresWithItsLastSessionWhenNoNodeIsLeftToClaimIt() {
        try (SessionStore noGrace = RedisTestServer.open(PREFIX, Map.of("ttlGraceSeconds", "0"))) {
            noGrace.write(create("ABANDONED", 1, "alice"));
            // The hash's 1 s, the least lead (10 s) and the margin: the set outlives it by a lead at most.
            assertThat(redis.pttl(setOf("alice"))).isBetween(11_000L, 12_000L);
            assertThat(redis.pttl(key("ABANDONED"))).isLessThanOrEqualTo(redis.pttl(setOf("alice")));

            long deadline = System.nanoTime() + 20_000_000_000L;
            while (redis.exists(setOf("alice")) > 0 && System.nanoTime() < deadline) {
                RedisProcess.sleep(100);
            }

            assertThat(redis.exists(key("ABANDONED"), setOf("alice"))).isZero(); // Redis's own TTLs, no store call
        }
    }

    @Test
    void aNeverExpiringSessionKeepsItsSetWithoutTtlUntilItLeavesThenTheSetFollowsTheOthers() {
        store.write(create("FOREVER", 0, "alice"));
        store.write(create("MORTAL", 600, "alice"));
        assertThat(redis.zscore(setOf("alice"), bytes("FOREVER"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(redis.pttl(setOf("alice"))).isEqualTo(-1);

        store.delete("FOREVER");

        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(redis.pttl(key("MORTAL")))
                .isCloseTo(1_261_000L, within(5_000L));
    }

    @Test
    void aSessionThatStopsOrStartsNeverExpiringMovesItsEntryAtItsNextWrite() {
        store.write(create("FOREVER", 0, "alice"));
        assertThat(text(redis.hget(key("FOREVER"), bytes("#pe")))).isEqualTo("inf");

        store.write(update("FOREVER", 600)); // due: an entry that never expires would keep the set for ever

        assertThat(redis.zscore(setOf("alice"), bytes("FOREVER"))).isCloseTo(redisTime() + 1_261_000.0,
                within(5_000.0));
        assertThat(redis.pttl(setOf("alice"))).isCloseTo(1_261_000L, within(5_000L));

        store.write(update("FOREVER", 0));

        assertThat(redis.zscore(setOf("alice"), bytes("FOREVER"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(redis.pttl(setOf("alice"))).isEqualTo(-1);
        assertThat(text(redis.hget(key("FOREVER"), bytes("#pe")))).isEqualTo("inf");
    }

    @Test
    void aFailedExtensionIsTakenBackSoTheNextTouchExtendsAgain() {
        store.write(create("FAILING", 10, "alice"));
        asIfTimePassed("FAILING", "alice");
        redis.del(setOf("alice"));
        redis.set(setOf("alice"), bytes("not a sorted set")); // every update of the set fails

        store.touch(List.of(new Touch("FAILING", now + 1_000))); // logged, not thrown: the touch itself worked

        assertThat(redis.pttl(key("FAILING"))).isCloseTo(70_000L, within(5_000L));
        assertThat(redis.hexists(key("FAILING"), bytes("#pe"))).isFalse();
        redis.del(setOf("alice"));

        store.touch(List.of(new Touch("FAILING", now + 2_000)));

        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(redis.pttl(key("FAILING")));
        assertThat(store.sessionsOf("alice")).containsExactly("FAILING");
    }

    @Test
    void logOutAndChangeIdLeaveNoExtensionMarkBehind() {
        store.write(create("MARKED", 600, "alice"));
        assertThat(redis.hexists(key("MARKED"), bytes("#pe"))).isTrue();

        assertThat(store.changeId("MARKED", "MOVED")).isTrue();
        // The mark is the old key's node's clock: the new id's entry has the session's TTL, its next touch extends.
        assertThat(redis.hexists(key("MOVED"), bytes("#pe"))).isFalse();
        assertThat(redis.pttl(setOf("alice"))).isGreaterThanOrEqualTo(redis.pttl(key("MOVED")));
        store.touch(List.of(new Touch("MOVED", now + 1_000)));
        assertThat(extendedFor("MOVED")).isCloseTo(1_260_000L, within(5_000L));
        assertThat(redis.pttl(setOf("alice"))).isCloseTo(1_261_000L, within(5_000L));

        store.write(update("MOVED", 600).withPrincipal(PrincipalChange.CLEARED));

        assertThat(redis.hexists(key("MOVED"), bytes("#pe"))).isFalse();
        assertThat(principalKeys()).isEmpty();
    }

    @Test
    void aRefusedLoginLeavesNoEntryButARetriedOneKeepsTheSessionThere() {
        store.write(create("EXISTING", 600, "alice"));

        assertThat(store.write(create("EXISTING", 600, "mallory"))).isEqualTo(WriteResult.alreadyExists());
        assertThat(store.write(update("GONE", 600).withPrincipal(PrincipalChange.to("mallory"))))
                .isEqualTo(WriteResult.missing());
        assertThat(store.write(create("EXISTING", 600, "alice"))).isEqualTo(WriteResult.alreadyExists()); // a retry

        assertThat(principalKeys()).containsExactly(PREFIX + "p:616c696365");
        assertThat(store.sessionsOf("alice")).containsExactly("EXISTING");
    }

    @Test
    void membersTheirSessionsDoNotConfirmAreNotAnsweredAndThoseWhoseTimeIsUpLeave() {
        store.write(create("REAL", 600, "alice"));
        store.write(create("OTHERNAME", 600, "bob"));
        long redisNow = redisTime();
        redis.zadd(setOf("alice"), redisNow + 600_000.0, bytes("NOHASH")); // e.g. a delete whose update was lost
        redis.zadd(setOf("alice"), redisNow + 600_000.0, bytes("OTHERNAME"));
        redis.zadd(setOf("alice"), redisNow - 1.0, bytes("TIMEISUP"));
        redis.zadd(setOf("alice"), redisNow + 600_000.0, bytes("not an id*"));

        assertThat(store.sessionsOf("alice")).containsExactly("REAL");

        assertThat(redis.zrange(setOf("alice"), 0, -1)).extracting(RedisTestServer::text)
                .doesNotContain("TIMEISUP").contains("REAL");
    }

    @Test
    void namesThatUtf8WouldMergeHaveSetsOfTheirOwn() {
        String loneSurrogate = "a\uD800";
        store.write(create("SURROGATE", 600, loneSurrogate));
        store.write(create("QUESTION", 600, "a?")); // what getBytes(UTF_8) makes of the lone surrogate
        store.write(create("EMOJI", 600, "😀"));

        assertThat(store.sessionsOf(loneSurrogate)).containsExactly("SURROGATE");
        assertThat(store.sessionsOf("a?")).containsExactly("QUESTION");
        assertThat(store.sessionsOf("😀")).containsExactly("EMOJI");
        assertThat(store.load("SURROGATE").orElseThrow().principal()).isEqualTo(loneSurrogate);
        assertThat(principalKeys()).containsExactlyInAnyOrder(PREFIX + "p:61eda080", PREFIX + "p:613f",
                PREFIX + "p:f09f9880");
    }

    @Test
    void aHashWrittenBeforeTheIndexExistedLoadsAndListsWithoutAPrincipal() {
        redis.hset(key("OLDLAYOUT"), Map.of(bytes("#v"), bytes("3"), bytes("#c"), bytes(Long.toString(now)),
                bytes("#a"), bytes(Long.toString(now)), bytes("#m"), bytes("600"), bytes("a:x"), bytes("1")));
        redis.zadd(bytes(PREFIX + "expirations"), now + 600_000.0, bytes("OLDLAYOUT"));

        assertThat(store.load("OLDLAYOUT").orElseThrow().principal()).isNull();
        assertThat(store.page(null, 10).sessions()).containsExactly(
                new SessionSummary("OLDLAYOUT", now, now, 600, null));
        assertThat(store.write(update("OLDLAYOUT", 600))).isEqualTo(WriteResult.written(4));
        assertThat(principalKeys()).isEmpty();
    }

    @Test
    void aCorruptPrincipalFieldIsACorruptRecord() {
        store.write(create("BADNAME", 600, "alice"));
        redis.hset(key("BADNAME"), bytes("#p"), new byte[] {(byte) 0xFF, 'x'});

        assertThatThrownBy(() -> store.load("BADNAME")).isExactlyInstanceOf(StoreException.class)
                .hasMessageContaining("#p");
    }

    @Test
    void aWalkSeesSessionsOfOneExpiryTimeEachOnceAndNeverExpiringOnesAndSkipsEntriesWithoutSession() {
        List<String> ids = List.of("TIE1", "TIE2", "TIE3", "TIE4", "TIE5");
        for (String id : ids) {
            store.write(create(id, 600, null)); // one score for all five
        }
        store.write(create("FOREVER", 0, null));
        redis.zadd(bytes(PREFIX + "expirations"), now + 1.0, bytes("NOHASH"));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            try (SessionStore node = RedisTestServer.open(PREFIX, Map.of())) { // a cursor works on every node
                SessionPage page = node.page(cursor, 2);
                assertThat(page.sessions()).hasSizeLessThanOrEqualTo(2);
                page.sessions().forEach(s -> seen.add(s.id()));
                cursor = page.next();
            }
            assertThat(++pages).isLessThan(20);
        } while (cursor != null);

        // By expiry, then id: the entry without a session (first) left out, the one that never expires last.
        assertThat(seen).containsExactly("TIE1", "TIE2", "TIE3", "TIE4", "TIE5", "FOREVER");
    }

    @Test
    void aCursorOfAnotherStoreOrATamperedOneIsRefused() {
        for (int i = 0; i < 3; i++) {
            store.write(create("CUR" + i, 600 + i, null));
        }
        String cursor = store.page(null, 1).next();
        assertThat(cursor).isNotNull();
        assertThat(store.page(cursor, 1).sessions()).extracting(SessionSummary::id).containsExactly("CUR1");

        String otherPrefix = RedisTestServer.randomPrefix("principals-other");
        try (SessionStore other = RedisTestServer.open(otherPrefix, Map.of())) {
            assertThatThrownBy(() -> other.page(cursor, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a cursor of this store");
        }
        char last = cursor.charAt(cursor.length() - 1);
        String tampered = cursor.substring(0, cursor.length() - 1) + (last == '0' ? '1' : '0');
        String moved = cursor.replaceFirst("^w1:\\d", "w1:9");
        for (String bad : List.of(tampered, moved, cursor + "x", "w1:inf:AAAA:0123456789abcdef", "", " " + cursor)) {
            assertThatThrownBy(() -> store.page(bad, 1)).as("cursor [%s]", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a cursor of this store");
        }
    }

    private long redisTime() {
        List<byte[]> time = redis.time();
        return Long.parseLong(text(time.get(0))) * 1000 + Long.parseLong(text(time.get(1))) / 1000;
    }
}
