package io.sessioncluster.store.redis;

import io.lettuce.core.api.sync.RedisCommands;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static io.sessioncluster.store.redis.RedisTestServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The documented data layout, read back with a plain Lettuce connection. */
@Timeout(60)
class RedisLayoutIT {

    private static final String PREFIX = RedisTestServer.randomPrefix("layout");
    private static final String ID = "ABCDEF0123456789abcdef-_";

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

    private byte[] key(String id) {
        return bytes(PREFIX + "s:" + id);
    }

    private byte[] index() {
        return bytes(PREFIX + "expirations");
    }

    private void create(String id, int maxInactive) {
        store.write(new ChangeSet(id, true, now - 5, now, maxInactive,
                Map.of("user", new byte[] {0, 1, (byte) 255}, "名前", bytes("x")), Set.of()));
    }

    @Test
    void sessionIsOneHashWithMetadataAndPrefixedAttributeFields() {
        create(ID, 600);

        assertThat(redis.type(key(ID))).isEqualTo("hash");
        Map<String, String> fields = new TreeMap<>();
        redis.hgetall(key(ID)).forEach((k, v) -> fields.put(text(k), k[0] == 'a' ? "bytes" : text(v)));
        assertThat(fields).containsOnly(
                Map.entry("#v", "1"),
                Map.entry("#c", Long.toString(now - 5)),
                Map.entry("#a", Long.toString(now)),
                Map.entry("#m", "600"),
                Map.entry("a:user", "bytes"),
                Map.entry("a:名前", "bytes"));
        assertThat(redis.hget(key(ID), bytes("a:user"))).containsExactly(0, 1, 255);
    }

    @Test
    void ttlIsTimeoutPlusGraceAndTheIndexHoldsTheExpiryTime() {
        create(ID, 600);

        assertThat(redis.pttl(key(ID))).isCloseTo(660_000L, within(5_000L));
        assertThat(redis.zscore(index(), bytes(ID))).isEqualTo((double) (now + 600_000));
    }

    @Test
    void refusedCreateLeavesTheExistingIndexEntry() {
        create(ID, 600);
        create(ID, 86_400); // ALREADY_EXISTS

        assertThat(redis.zscore(index(), bytes(ID))).isEqualTo((double) (now + 600_000));
        assertThat(redis.pttl(key(ID))).isCloseTo(660_000L, within(5_000L));
    }

    @Test
    void neverExpiringSessionHasNoTtlAndAnIndexEntryAtInfinityThatNoSweepReaches() {
        create(ID, 600);
        store.write(new ChangeSet(ID, false, now - 5, now, -1, Map.of(), Set.of()));
        String created = "NEVER" + ID;
        store.write(new ChangeSet(created, true, now, now, 0, Map.of(), Set.of()));

        assertThat(redis.pttl(key(ID))).isEqualTo(-1);
        assertThat(redis.zscore(index(), bytes(ID))).isEqualTo(Double.POSITIVE_INFINITY); // for the walk of page()
        assertThat(redis.zscore(index(), bytes(created))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(store.claimExpired(Long.MAX_VALUE / 2, 10)).isEmpty();
        assertThat(redis.zcard(index())).isEqualTo(2);
    }

    @Test
    void touchRenewsAccessTimeAndTtlButNotTheIndex() {
        create(ID, 10);
        redis.pexpire(key(ID), 1_000); // as if time had passed

        store.touch(List.of(new Touch(ID, now + 3_000)));

        assertThat(text(redis.hget(key(ID), bytes("#a")))).isEqualTo(Long.toString(now + 3_000));
        assertThat(redis.pttl(key(ID))).isCloseTo(70_000L, within(5_000L));
        assertThat(redis.zscore(index(), bytes(ID))).isEqualTo((double) (now + 10_000)); // a lower bound still
        assertThat(text(redis.hget(key(ID), bytes("#v")))).isEqualTo("1");
    }

    @Test
    void removedAttributesAreDeletedFields() {
        create(ID, 600);
        store.write(new ChangeSet(ID, false, now - 5, now, 600, Map.of(), Set.of("user")));

        assertThat(redis.hexists(key(ID), bytes("a:user"))).isFalse();
        assertThat(text(redis.hget(key(ID), bytes("#v")))).isEqualTo("2");
    }

    @Test
    void changeIdMovesKeyTtlAndIndexEntry() {
        create(ID, 600);
        String newId = "NEW" + ID;

        assertThat(store.changeId(ID, newId)).isTrue();

        assertThat(redis.exists(key(ID))).isZero();
        assertThat(redis.pttl(key(newId))).isCloseTo(660_000L, within(5_000L));
        assertThat(redis.zscore(index(), bytes(ID))).isNull();
        assertThat(redis.zscore(index(), bytes(newId))).isEqualTo((double) (now + 600_000));
    }

    @Test
    void deleteAndClaimRemoveTheIndexEntry() {
        create(ID, 1);
        create("other", 1);

        store.delete(ID);
        assertThat(store.claimIfExpired("other", now + 1_000)).isNotNull();

        assertThat(redis.exists(key(ID), key("other"))).isZero();
        assertThat(redis.zcard(index())).isZero();
    }

    @Test
    void sweepReScoresSessionsTouchedSinceTheirIndexEntry() {
        create(ID, 1);
        store.touch(List.of(new Touch(ID, now + 500)));

        assertThat(store.claimExpired(now + 1_200, 10)).isEmpty();

        assertThat(redis.zscore(index(), bytes(ID))).isEqualTo((double) (now + 1_500));
    }

    @Test
    void writtenKeysAllCarryThePrefix() {
        create(ID, 600);
        assertThat(redis.keys(PREFIX + "*")).extracting(RedisTestServer::text)
                .containsExactlyInAnyOrder(PREFIX + "s:" + ID, PREFIX + "expirations");
    }
}
