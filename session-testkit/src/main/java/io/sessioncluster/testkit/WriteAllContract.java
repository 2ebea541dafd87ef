package io.sessioncluster.testkit;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch rules of {@link SessionStore#writeAll}: each change set applied on its own exactly as {@code write}
 * would, results in order, one entry's outcome never deciding another's, change sets of one session applied in list
 * order. Part of the {@link SessionStoreContract} chain. A corrupt entry ({@code FAILED}) needs a backend-specific
 * way to damage a record; each store's own tests check that.
 */
public abstract class WriteAllContract extends LockingContract {

    @Test
    void anEmptyBatchWritesNothing() {
        assertThat(store.writeAll(List.of())).isEmpty();
    }

    @Test
    void aBatchOfCreatesWritesEverySessionAndAnswersInOrder() {
        List<ChangeSet> batch = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = newId();
            ids.add(id);
            batch.add(create(id).set("n", "value-" + i).build());
        }

        List<WriteResult> results = store.writeAll(batch);

        assertThat(results).hasSize(50).containsOnly(WriteResult.written(1));
        SessionStore otherNode = node();
        for (int i = 0; i < 50; i++) {
            assertThat(otherNode.load(ids.get(i))).hasValue(new SessionRecord(ids.get(i), 1, now, now, 1800,
                    Map.of("n", bytes("value-" + i))));
        }
    }

    @Test
    void aMissingOrExistingEntryDoesNotFailTheOthers() {
        String a = newId();
        String b = newId();
        String gone = newId();
        createSession(a, Map.of("x", bytes("1")));
        createSession(b, Map.of("y", bytes("1")));

        List<WriteResult> results = store.writeAll(List.of(
                update(a).set("x", "2").build(),
                update(gone).set("z", "1").build(),
                create(b).set("y", "overwritten?").build(),
                update(b).set("y", "2").build()));

        assertThat(results).containsExactly(WriteResult.written(2), WriteResult.missing(), WriteResult.alreadyExists(),
                WriteResult.written(2));
        assertThat(store.load(gone)).as("an update never recreates a session").isEmpty();
        assertThat(store.load(a).orElseThrow().attributes()).containsOnlyKeys("x");
        assertThat(store.load(a).orElseThrow().attributes().get("x")).isEqualTo(bytes("2"));
        assertThat(store.load(b).orElseThrow().attributes().get("y")).isEqualTo(bytes("2"));
        assertThat(store.version(b)).hasValue(2);
    }

    @Test
    void aBatchMergesPerAttributeExactlyAsWriteDoes() {
        String viaWrite = newId();
        String viaBatch = newId();
        for (String id : List.of(viaWrite, viaBatch)) {
            createSession(id, Map.of("a", bytes("1"), "b", bytes("2"), "c", bytes("3")));
            update(id).set("d", "4").writeTo(node()); // another node's change, which the batch must keep
        }

        WriteResult single = update(viaWrite).at(now + 5_000).maxInactive(60).set("a", "1'").remove("b")
                .remove("never-there").writeTo(store);
        List<WriteResult> batch = store.writeAll(List.of(update(viaBatch).at(now + 5_000).maxInactive(60)
                .set("a", "1'").remove("b").remove("never-there").build()));
        // an older access time: whatever write does with it (Redis and JDBC keep the later one), writeAll does too
        update(viaWrite).at(now + 1_000).writeTo(store);
        store.writeAll(List.of(update(viaBatch).at(now + 1_000).build()));

        assertThat(batch).containsExactly(single);
        SessionRecord expected = store.load(viaWrite).orElseThrow();
        SessionRecord actual = store.load(viaBatch).orElseThrow();
        assertThat(actual).isEqualTo(new SessionRecord(viaBatch, expected.version(), expected.creationTime(),
                expected.lastAccessedTime(), expected.maxInactiveSeconds(), expected.attributes()));
        assertThat(actual.attributes()).containsOnlyKeys("a", "c", "d");
    }

    @Test
    void changeSetsOfOneSessionApplyInListOrder() {
        String id = newId();
        String other = newId();

        List<WriteResult> results = store.writeAll(List.of(
                create(id).set("a", "1").set("b", "1").build(),
                create(other).set("o", "1").build(),
                update(id).set("a", "2").remove("b").build(),
                update(id).set("b", "3").build(),
                update(id).remove("a").build()));

        assertThat(results).containsExactly(WriteResult.written(1), WriteResult.written(1), WriteResult.written(2),
                WriteResult.written(3), WriteResult.written(4));
        assertThat(store.load(id)).hasValue(new SessionRecord(id, 4, now, now, 1800, Map.of("b", bytes("3"))));
    }
}
