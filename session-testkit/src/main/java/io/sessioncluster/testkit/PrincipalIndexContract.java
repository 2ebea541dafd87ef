package io.sessioncluster.testkit;

import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The user's sessions index ({@link SessionStore#sessionsOf}) and the paged walk over every session
 * ({@link SessionStore#page}). Part of the {@link SessionStoreContract} chain. That the index leaves nothing behind
 * in the backend when its last session ends needs a look into the backend; each store's own tests check that.
 */
public abstract class PrincipalIndexContract extends WriteAllContract {

    @Test
    void aLoginIndexesTheSessionUnderItsNameForEveryNode() {
        String id = newId();
        assertThat(create(id).set("a", "1").principal("alice").writeTo(store)).isEqualTo(WriteResult.written(1));

        SessionStore otherNode = node();
        assertThat(otherNode.sessionsOf("alice")).containsExactly(id);
        assertThat(otherNode.sessionsOf("bob")).isEmpty();
        assertThat(otherNode.load(id).orElseThrow().principal()).isEqualTo("alice");
    }

    @Test
    void aNameCollectsTheSessionsOfEveryLoginAndOnlyThose() {
        String first = newId();
        String second = newId();
        String other = newId();
        String anonymous = newId();
        createSession(first, Map.of());
        createSession(second, Map.of());
        createSession(other, Map.of());
        createSession(anonymous, Map.of());

        assertThat(update(first).principal("alice").writeTo(store)).isEqualTo(WriteResult.written(2));
        assertThat(update(second).principal("alice").writeTo(node())).isEqualTo(WriteResult.written(2));
        assertThat(update(other).principal("bob").writeTo(store)).isEqualTo(WriteResult.written(2));

        assertThat(store.sessionsOf("alice")).containsExactlyInAnyOrder(first, second);
        assertThat(store.sessionsOf("bob")).containsExactly(other);
        assertThat(store.load(anonymous).orElseThrow().principal()).isNull();
    }

    @Test
    void writesThatDoNotNameThePrincipalKeepIt() {
        String id = newId();
        create(id).principal("alice").writeTo(store);

        update(id).set("cart", "3 items").writeTo(store);
        update(id).remove("cart").writeTo(node());
        store.touch(List.of(new Touch(id, now + 1_000)));
        store.writeAll(List.of(update(id).set("b", "2").build()));

        assertThat(store.sessionsOf("alice")).containsExactly(id);
        assertThat(store.load(id).orElseThrow().principal()).isEqualTo("alice");
    }

    @Test
    void aLogOutTakesTheSessionOutAndALoginUnderAnotherNameMovesIt() {
        String id = newId();
        String stays = newId();
        create(id).principal("alice").writeTo(store);
        create(stays).principal("alice").writeTo(store);

        update(id).clearPrincipal().writeTo(store);
        assertThat(store.sessionsOf("alice")).containsExactly(stays);
        assertThat(store.load(id).orElseThrow().principal()).isNull();

        update(id).principal("bob").writeTo(store);
        update(stays).principal("carol").writeTo(store);
        assertThat(store.sessionsOf("alice")).isEmpty();
        assertThat(store.sessionsOf("bob")).containsExactly(id);
        assertThat(store.sessionsOf("carol")).containsExactly(stays);
    }

    @Test
    void deleteAndEveryExpiryTakeTheSessionOutOfTheIndex() {
        String deleted = newId();
        String claimedOne = newId();
        String claimedInBulk = newId();
        String alive = newId();
        create(deleted).principal("alice").writeTo(store);
        create(claimedOne).principal("alice").maxInactive(1).writeTo(store);
        create(claimedInBulk).principal("alice").maxInactive(1).writeTo(store);
        create(alive).principal("alice").writeTo(store);

        assertThat(store.delete(deleted)).isTrue();
        assertThat(store.claimIfExpired(claimedOne, now + 1_100)).isInstanceOf(ExpiryClaim.Claimed.class);
        assertThat(store.claimExpired(now + 1_100, 10)).extracting(r -> r.id()).containsExactly(claimedInBulk);

        assertThat(node().sessionsOf("alice")).containsExactly(alive);
    }

    @Test
    void anExpiredSessionNoNodeClaimedYetIsNotAnswered() {
        String expired = newId();
        String alive = newId();
        create(expired).principal("alice").at(now - 10_000).maxInactive(1).writeTo(store);
        create(alive).principal("alice").writeTo(store);

        assertThat(store.sessionsOf("alice")).containsExactly(alive);
    }

    @Test
    void changeIdMovesTheIndexEntryToTheNewId() {
        String oldId = newId();
        String newId = newId();
        create(oldId).principal("alice").writeTo(store);

        assertThat(store.changeId(oldId, newId)).isTrue();

        assertThat(node().sessionsOf("alice")).containsExactly(newId);
        assertThat(store.load(newId).orElseThrow().principal()).isEqualTo("alice");
    }

    @Test
    void aWriteThatIsRefusedIndexesNothing() {
        String gone = newId();
        String existing = newId();
        String locked = newId();
        create(existing).principal("alice").writeTo(store);
        create(locked).writeTo(store);
        LockAttempt.Granted first = (LockAttempt.Granted) store.lock(locked, 1);
        sleepPastLease();
        assertThat(node().lock(locked, 60_000)).isInstanceOf(LockAttempt.Granted.class);

        assertThat(update(gone).principal("mallory").writeTo(store)).isEqualTo(WriteResult.missing());
        assertThat(create(existing).principal("mallory").writeTo(store)).isEqualTo(WriteResult.alreadyExists());
        assertThat(store.write(update(locked).principal("mallory").build(), new Fence(first.token(), false)))
                .isEqualTo(WriteResult.fenced());

        assertThat(store.sessionsOf("mallory")).isEmpty();
        assertThat(store.sessionsOf("alice")).containsExactly(existing);
        assertThat(store.load(existing).orElseThrow().principal()).isEqualTo("alice");
    }

    @Test
    void aBatchIndexesAsSingleWritesDo() {
        String a = newId();
        String b = newId();
        createSession(b, Map.of());
        List<WriteResult> results = store.writeAll(List.of(
                create(a).principal("alice").build(),
                update(b).principal("alice").build(),
                update(a).clearPrincipal().build()));

        assertThat(results).containsExactly(WriteResult.written(1), WriteResult.written(2), WriteResult.written(2));
        assertThat(store.sessionsOf("alice")).containsExactly(b);
    }

    @Test
    void namesAreDataNotPatterns() {
        List<String> names = List.of("a*", "a?", "a[bc]", "{a}", "a:b", "a b", "'; drop table x; --", "%", "_",
                "a\\b", "ümlaut ✓", "a".repeat(PrincipalChange.MAX_NAME_LENGTH));
        Map<String, String> idByName = new java.util.LinkedHashMap<>();
        for (String name : names) {
            String id = newId();
            create(id).principal(name).writeTo(store);
            idByName.put(name, id);
        }
        String plain = newId();
        create(plain).principal("ab").writeTo(store);

        for (String name : names) {
            assertThat(store.sessionsOf(name)).as("sessions of [%s]", name).containsExactly(idByName.get(name));
        }
        assertThat(store.sessionsOf("ab")).containsExactly(plain);
        assertThat(store.sessionsOf("a")).isEmpty();
    }

    @Test
    void aNameThatCannotBeIndexedHasNoSessions() {
        create(newId()).principal("alice").writeTo(store);

        assertThat(store.sessionsOf(null)).isEmpty();
        assertThat(store.sessionsOf("")).isEmpty();
        assertThat(store.sessionsOf("a".repeat(PrincipalChange.MAX_NAME_LENGTH + 1))).isEmpty();
        assertThat(store.sessionsOf("*")).isEmpty();
    }

    @Test
    void aWalkOfPagesSeesEverySessionWithItsMetadata() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            String id = newId();
            ids.add(id);
            create(id).principal(i % 2 == 0 ? "even" : "odd").maxInactive(600 + i).writeTo(store);
        }

        List<SessionSummary> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            SessionPage page = node().page(cursor, 7);
            assertThat(page.sessions()).hasSizeLessThanOrEqualTo(7);
            seen.addAll(page.sessions());
            cursor = page.next();
            assertThat(++pages).as("a walk of 25 sessions in pages of 7 ends").isLessThan(200);
        } while (cursor != null);

        assertThat(seen).extracting(SessionSummary::id).containsAll(ids);
        assertThat(new HashSet<>(seen.stream().map(SessionSummary::id).toList())).isEqualTo(ids);
        SessionSummary one = seen.stream().filter(s -> s.maxInactiveSeconds() == 600).findFirst().orElseThrow();
        assertThat(one.creationTime()).isEqualTo(now);
        assertThat(one.lastAccessedTime()).isEqualTo(now);
        assertThat(one.principal()).isEqualTo("even");
    }

    @Test
    void anEmptyStoreIsOneEmptyLastPage() {
        SessionPage page = store.page(null, 10);

        assertThat(page.sessions()).isEmpty();
        assertThat(page.isLast()).isTrue();
    }

    @Test
    void aBadPageRequestIsRefusedWithAClearError() {
        createSession(newId(), Map.of());

        assertThatThrownBy(() -> store.page(null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 1000");
        assertThatThrownBy(() -> store.page(null, 1_001)).isInstanceOf(IllegalArgumentException.class);
        for (String cursor : List.of("not a cursor", "\u0000", "*", "-1:abc")) {
            assertThatThrownBy(() -> store.page(cursor, 10)).as("cursor [%s]", cursor)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void sleepPastLease() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
