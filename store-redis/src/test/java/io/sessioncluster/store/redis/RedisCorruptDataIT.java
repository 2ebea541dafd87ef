package io.sessioncluster.store.redis;

import io.lettuce.core.api.sync.RedisCommands;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Garbage in Redis is reported as {@link StoreException} naming the redacted id: never another exception. */
@Timeout(60)
class RedisCorruptDataIT {

    private static final String PREFIX = RedisTestServer.randomPrefix("corrupt");
    private static final String ID = "CORRUPT0123456789";

    private RedisTestServer.Raw raw;
    private RedisCommands<byte[], byte[]> redis;
    private SessionStore store;
    private long now;

    @BeforeEach
    void open() {
        raw = RedisTestServer.raw();
        redis = raw.sync();
        store = RedisTestServer.open(PREFIX, Map.of());
        now = System.currentTimeMillis();
        store.write(new ChangeSet(ID, true, now, now, 1, Map.of("a", bytes("1")), Set.of()));
    }

    @AfterEach
    void close() {
        store.close();
        raw.deleteKeys(PREFIX);
        raw.close();
    }

    private byte[] key() {
        return bytes(PREFIX + "s:" + ID);
    }

    private static void assertCorrupt(Executable operation) {
        Throwable thrown = catchThrowable(operation::execute);
        assertThat(thrown).isExactlyInstanceOf(StoreException.class).isNotInstanceOf(StoreUnavailableException.class);
        assertThat(thrown.getMessage()).contains("CORR…(17 chars)").doesNotContain(ID);
    }

    @Test
    void nonNumericVersion() {
        redis.hset(key(), bytes("#v"), bytes("seven"));

        assertCorrupt(() -> store.load(ID));
        assertCorrupt(() -> store.version(ID));
        assertCorrupt(() -> store.write(new ChangeSet(ID, false, now, now, 1, Map.of("b", bytes("2")), Set.of())));
        assertThat(redis.hexists(key(), bytes("a:b"))).as("a failed write changes nothing").isFalse();
        assertCorrupt(() -> store.claimIfExpired(ID, now + 5_000));
    }

    @Test
    void aCorruptEntryOfABatchFailsAloneAndTheOthersAreWritten() {
        redis.hset(key(), bytes("#v"), bytes("seven"));
        String good = "GOOD0123456789AB";

        List<WriteResult> results = store.writeAll(List.of(
                new ChangeSet(good, true, now, now, 60, Map.of("g", bytes("1")), Set.of()),
                new ChangeSet(ID, false, now, now, 1, Map.of("b", bytes("2")), Set.of()),
                new ChangeSet("GONE0123456789AB", false, now, now, 60, Map.of(), Set.of())));

        assertThat(results.get(0)).isEqualTo(WriteResult.written(1));
        assertThat(results.get(1).status()).isEqualTo(WriteResult.Status.FAILED);
        assertThat(results.get(1).problem()).contains("corrupt session record", "CORR…(17 chars)").doesNotContain(ID);
        assertThat(results.get(2)).isEqualTo(WriteResult.missing());
        assertThat(redis.hexists(key(), bytes("a:b"))).as("the failed entry changes nothing").isFalse();
        assertThat(store.load(good).orElseThrow().attributes()).containsOnlyKeys("g");
    }

    @Test
    void missingCreationTime() {
        redis.hdel(key(), bytes("#c"));

        Throwable thrown = catchThrowable(() -> store.load(ID));
        assertThat(thrown).isExactlyInstanceOf(StoreException.class).hasMessageContaining("corrupt session record")
                .hasMessageContaining("#c");
        assertCorrupt(() -> store.claimIfExpired(ID, now + 5_000));
        assertThat(redis.exists(key())).as("a corrupt record is not claimed, its TTL frees it").isEqualTo(1);
    }

    @Test
    void randomBytesInMetadata() {
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        redis.hset(key(), bytes("#a"), garbage);
        redis.hset(key(), bytes("#m"), garbage);

        assertCorrupt(() -> store.load(ID));
        assertCorrupt(() -> store.claimIfExpired(ID, now + 5_000));
    }

    @Test
    void randomBytesAsFieldNamesAreIgnoredAndRandomValuesAreOpaque() {
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] name = new byte[1 + random.nextInt(20)];
            byte[] value = new byte[random.nextInt(50)];
            random.nextBytes(name);
            random.nextBytes(value);
            name[0] = 'x'; // neither '#' metadata nor an 'a:' attribute
            redis.hset(key(), name, value);
        }

        SessionRecord record = store.load(ID).orElseThrow();
        assertThat(record.attributes()).containsOnlyKeys("a");
    }

    @Test
    void keyOfTheWrongType() {
        redis.del(key());
        redis.set(key(), bytes("not a hash"));

        assertCorrupt(() -> store.load(ID));
        assertCorrupt(() -> store.version(ID));
        assertCorrupt(() -> store.write(new ChangeSet(ID, false, now, now, 1, Map.of(), Set.of())));
        assertCorrupt(() -> store.claimIfExpired(ID, now + 5_000));
        assertThat(store.delete(ID)).as("delete still removes it").isTrue();
        assertThat(redis.exists(key())).isZero();
    }

    @Test
    void corruptSessionsAreLeftOutOfSessionsOfAndOfThePagesWithoutFailingThem() {
        String good = "GOOD0123456789";
        PrincipalChange alice = PrincipalChange.to("alice");
        store.write(new ChangeSet(good, true, now, now, 600, Map.of(), Set.of()).withPrincipal(alice));
        store.write(new ChangeSet(ID, false, now, now, 600, Map.of(), Set.of()).withPrincipal(alice));
        redis.del(key());
        redis.set(key(), bytes("not a hash"));

        assertThat(store.sessionsOf("alice")).containsExactly(good);
        SessionPage page = store.page(null, 10);
        assertThat(page.sessions()).extracting(SessionSummary::id).containsExactly(good);
        assertThat(page.isLast()).isTrue();

        redis.del(key());
        redis.hset(key(), Map.of(bytes("#v"), bytes("1"), bytes("#c"), bytes("x"), bytes("#a"), bytes("1"),
                bytes("#m"), bytes("600")));
        assertThat(store.page(null, 10).sessions()).extracting(SessionSummary::id).containsExactly(good);
    }

    @Test
    void sweepSkipsCorruptRecordsAndStillClaimsTheOthers() {
        String good = "GOOD0123456789";
        store.write(new ChangeSet(good, true, now, now, 1, Map.of(), Set.of()));
        redis.hset(key(), bytes("#v"), bytes("x"));
        redis.zadd(bytes(PREFIX + "expirations"), 0, bytes("not a session id!")); // not ours

        assertThat(store.claimExpired(now + 5_000, 10)).extracting(SessionRecord::id).containsExactly(good);
        assertThat(redis.zcard(bytes(PREFIX + "expirations"))).as("bad entries leave the index").isZero();
        assertThat(store.claimIfExpired(good, now + 5_000)).isEqualTo(ExpiryClaim.GONE);
    }
}
