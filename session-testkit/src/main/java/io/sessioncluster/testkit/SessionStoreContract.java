package io.sessioncluster.testkit;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link SessionStore}, as JUnit 5 tests: every rule of its Javadoc, checked against a real
 * backend. Every store's test extends this class and implements {@link #openStore()} and {@link #clearBackend()}:
 *
 * <pre>{@code
 * class RedisSessionStoreIT extends SessionStoreContract {
 *     protected SessionStore openStore() { return provider.open(settings, "/test"); }
 *     protected void clearBackend() { deleteKeysWithPrefix(prefix); }
 * }
 * }</pre>
 *
 * The expiry and concurrency rules live in {@link ExpiryAndConcurrencyContract}, the eviction rules in
 * {@link EvictionContract}, the user's sessions index and the paged walk in
 * {@link PrincipalIndexContract}, the batch rules in {@link WriteAllContract} and the lock rules in {@link LockingContract},
 * which this class extends (in that chain) so that one {@code extends} runs them all.
 */
public abstract class SessionStoreContract extends ExpiryAndConcurrencyContract {

    @Test
    void missingSessionIsAbsentEverywhere() {
        String id = newId();
        assertThat(store.load(id)).isEmpty();
        assertThat(store.version(id)).isEmpty();
        assertThat(store.delete(id)).isFalse();
        assertThat(store.changeId(id, newId())).isFalse();
    }

    @Test
    void createThenLoadRoundTripsMetadataAndBinaryValues() {
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        attributes.put("bytes", allByteValues());
        attributes.put("empty", new byte[0]);
        attributes.put("名前", bytes("unicode name"));
        attributes.put("emoji 😀 with spaces", bytes("x"));
        attributes.put("#v", bytes("looks like store metadata"));
        attributes.put("a:nested", bytes("looks like a store prefix"));
        attributes.put("", bytes("empty name"));
        attributes.put("*?[glob]\n\r\0", bytes("pattern characters"));
        String id = newId();
        SessionRecord expected = createSession(id, attributes);

        assertThat(store.load(id)).hasValue(expected);
        assertThat(node().load(id)).hasValue(expected);
        assertThat(store.version(id)).hasValue(1);
    }

    @Test
    void manyAttributesAndLargeValuesRoundTrip() {
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            attributes.put("attribute-" + i, bytes("value-" + i));
        }
        byte[] large = new byte[1 << 20];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31 + 7);
        }
        attributes.put("large", large);
        String id = newId();
        SessionRecord expected = createSession(id, attributes);

        assertThat(store.load(id)).hasValue(expected);
    }

    @Test
    void everyWriteBumpsTheVersionByExactlyOne() {
        String id = newId();
        assertThat(create(id).set("a", "1").writeTo(store)).isEqualTo(WriteResult.written(1));
        assertThat(update(id).writeTo(store)).isEqualTo(WriteResult.written(2)); // metadata only
        assertThat(update(id).set("a", "2").writeTo(store)).isEqualTo(WriteResult.written(3));
        assertThat(update(id).remove("a").writeTo(store)).isEqualTo(WriteResult.written(4));
        assertThat(update(id).remove("never-there").writeTo(store)).isEqualTo(WriteResult.written(5));

        assertThat(store.version(id)).hasValue(5);
        assertThat(store.load(id).orElseThrow().version()).isEqualTo(5);
    }

    @Test
    void writesMergePerAttribute() {
        String id = newId();
        createSession(id, Map.of("a", bytes("1"), "b", bytes("2"), "c", bytes("3")));
        SessionStore otherNode = node();

        update(id).set("a", "1'").writeTo(store);
        update(id).set("d", "4").writeTo(otherNode);
        update(id).set("c", "3'").remove("b").writeTo(store);

        assertThat(otherNode.load(id)).hasValue(new SessionRecord(id, 4, now, now, 1800,
                Map.of("a", bytes("1'"), "c", bytes("3'"), "d", bytes("4"))));
    }

    @Test
    void writeUpdatesMetadata() {
        String id = newId();
        createSession(id, Map.of());
        update(id).at(now + 5000).maxInactive(60).writeTo(store);

        SessionRecord record = store.load(id).orElseThrow();
        assertThat(record.creationTime()).isEqualTo(now);
        assertThat(record.lastAccessedTime()).isEqualTo(now + 5000);
        assertThat(record.maxInactiveSeconds()).isEqualTo(60);
    }

    @Test
    void updateOfMissingSessionReturnsMissingAndCreatesNothing() {
        String id = newId();
        assertThat(update(id).set("a", "1").writeTo(store)).isEqualTo(WriteResult.missing());
        assertThat(store.load(id)).isEmpty();
        assertThat(store.version(id)).isEmpty();

        createSession(id, Map.of("a", bytes("1")));
        assertThat(store.delete(id)).isTrue();
        assertThat(update(id).set("a", "2").writeTo(node())).isEqualTo(WriteResult.missing());
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void createOfExistingSessionReturnsAlreadyExistsAndChangesNothing() {
        String id = newId();
        SessionRecord original = createSession(id, Map.of("a", bytes("1")));

        assertThat(create(id).set("a", "other").set("b", "2").writeTo(node())).isEqualTo(WriteResult.alreadyExists());
        assertThat(store.load(id)).hasValue(original);
    }

    @Test
    void touchUpdatesAccessTimeOnlyAndNeverCreates() {
        String id = newId();
        String missing = newId();
        SessionRecord original = createSession(id, Map.of("a", bytes("1")));

        node().touch(List.of(new Touch(id, now + 700), new Touch(missing, now + 700)));

        assertThat(store.load(id)).hasValue(new SessionRecord(id, 1, now, now + 700, 1800, original.attributes()));
        assertThat(store.load(missing)).isEmpty();
        assertThat(store.version(missing)).isEmpty();
        store.delete(id);
        store.touch(List.of(new Touch(id, now + 900)));
        assertThat(store.load(id)).isEmpty();
        store.touch(List.of()); // an empty batch is fine
    }

    @Test
    void changeIdMovesEverythingAndTheOldIdIsGone() {
        String oldId = newId();
        String newId = newId();
        createSession(oldId, Map.of("a", bytes("1"), "bytes", allByteValues()));
        update(oldId).at(now + 10).maxInactive(600).writeTo(store);
        SessionRecord before = store.load(oldId).orElseThrow();

        assertThat(store.changeId(oldId, newId)).isTrue();

        SessionStore otherNode = node();
        assertThat(otherNode.load(oldId)).isEmpty();
        assertThat(otherNode.version(oldId)).isEmpty();
        assertThat(otherNode.load(newId)).hasValue(new SessionRecord(newId, before.version(), before.creationTime(),
                before.lastAccessedTime(), before.maxInactiveSeconds(), before.attributes()));
        assertThat(update(oldId).set("a", "stale").writeTo(otherNode)).isEqualTo(WriteResult.missing());
        otherNode.touch(List.of(new Touch(oldId, now + 20)));
        assertThat(otherNode.load(oldId)).isEmpty();
        assertThat(update(newId).set("b", "2").writeTo(otherNode)).isEqualTo(WriteResult.written(before.version() + 1));
    }

    @Test
    void changeIdFailsAndChangesNothingIfOldIsMissingOrNewExists() {
        String a = newId();
        String b = newId();
        SessionRecord recordA = createSession(a, Map.of("x", bytes("a")));
        SessionRecord recordB = createSession(b, Map.of("x", bytes("b")));

        assertThat(store.changeId(a, b)).isFalse();
        assertThat(store.changeId(newId(), newId())).isFalse();

        assertThat(store.load(a)).hasValue(recordA);
        assertThat(store.load(b)).hasValue(recordB);
    }

    @Test
    void deleteRemovesTheSessionOnce() {
        String id = newId();
        createSession(id, Map.of("a", bytes("1")));

        assertThat(node().delete(id)).isTrue();
        assertThat(store.delete(id)).isFalse();
        assertThat(store.load(id)).isEmpty();
        assertThat(store.version(id)).isEmpty();
    }

    @Test
    void oddButWellFormedIdsAreDistinctSessions() {
        StringBuilder longest = new StringBuilder();
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        while (longest.length() < SessionIds.MAX_LENGTH) {
            longest.append(chars.charAt(longest.length() % chars.length()));
        }
        List<String> ids = new ArrayList<>(List.of("-", "_", "--", "-_-_", "abc", "ABC", "a", longest.toString()));
        assertThat(ids).allMatch(SessionIds::isWellFormed);
        for (String id : ids) {
            createSession(id, Map.of("id", bytes(id)));
        }

        for (String id : ids) {
            SessionRecord record = store.load(id).orElseThrow();
            assertThat(record.id()).isEqualTo(id);
            assertThat(record.attributes().get("id")).isEqualTo(bytes(id));
        }
        for (String id : ids) {
            assertThat(store.delete(id)).isTrue();
        }
    }

    @Test
    void storeKeepsNoReferenceToTheCallersArrays() {
        String id = newId();
        byte[] value = bytes("original");
        create(id).set("a", value).writeTo(store);
        value[0] = 'X';

        byte[] loaded = store.load(id).orElseThrow().attributes().get("a");
        assertThat(loaded).isEqualTo(bytes("original"));
    }

    @Test
    void closeIsIdempotent() {
        SessionStore extra = openStore();
        extra.close();
        extra.close();
    }
}
