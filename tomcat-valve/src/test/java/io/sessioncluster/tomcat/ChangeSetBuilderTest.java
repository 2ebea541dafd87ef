package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.Fingerprint;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a request's change set carries, and what a failed write gives back. */
class ChangeSetBuilderTest {

    private static final AttributeCodec CODEC = new AttributeCodec() {
        @Override
        public byte[] encode(Object value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
                oos.writeObject(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        @Override
        public Object decode(byte[] bytes) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return in.readObject();
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void checkAllowed(Object value) {
        }
    };

    private final ChangeSetBuilder builder = new ChangeSetBuilder(CODEC, true);

    @Test
    void anAttributeMutatedInPlaceIsWrittenAgainAfterItsWriteFailed() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loadedWithCart(cart);

        cart.add("pear"); // mutated in place, no setAttribute
        PendingWrite first = builder.build(session, Set.of("cart"), 2);
        assertThat(first).isNotNull();
        assertThat(first.changes().setAttributes()).containsOnlyKeys("cart");

        session.restoreChanges(first.taken()); // the store was down (sync 503, or a full async queue)
        assertThat(session.hasUnsentChanges()).isTrue();

        // The next request only reads the cart: the unwritten mutation must still go out.
        PendingWrite retry = builder.build(session, Set.of("cart"), 3);
        assertThat(retry).isNotNull();
        assertThat(retry.changes().setAttributes()).containsOnlyKeys("cart");
        assertThat(CODEC.decode(retry.changes().setAttributes().get("cart"))).isEqualTo(List.of("apple", "pear"));
    }

    @Test
    void withoutMutationDetectionAnAttributeChangedInPlaceIsNotEncodedAgain() {
        ChangeSetBuilder setAttributeOnly = new ChangeSetBuilder(CODEC, false);
        List<String> cart = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loadedWithCart(cart);

        cart.add("pear"); // mutated in place, no setAttribute: not looked for
        assertThat(setAttributeOnly.build(session, Set.of("cart"), 2)).isNull();
        // The same request seen by the default builder is a write of the cart.
        assertThat(builder.build(session, Set.of("cart"), 3)).isNotNull();
    }

    @Test
    void aRequestThatChangesNothingBuildsNoWrite() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loadedWithCart(cart);
        assertThat(builder.build(session, Set.of("cart"), 2)).isNull();
        assertThat(builder.build(session, Set.of(), 2)).isNull();
    }

    @Test
    void aRequestThatReadNothingStillWritesWhatWasMarkedOrMutatedOutsideARequest() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loadedWithCart(cart);
        assertThat(builder.build(session, Set.of(), 2)).isNull();

        // Read (and mutated) on a thread outside any request: the shortcut for "nothing happened" must not hide it.
        @SuppressWarnings("unchecked")
        List<String> read = (List<String>) session.getAttribute("cart");
        read.add("pear");
        PendingWrite mutated = builder.build(session, Set.of(), 3);
        assertThat(mutated).isNotNull();
        assertThat(mutated.changes().setAttributes()).containsOnlyKeys("cart");

        session.setMaxInactiveInterval(120);
        PendingWrite timeout = builder.build(session, Set.of(), 4);
        assertThat(timeout).isNotNull();
        assertThat(timeout.changes().maxInactiveSeconds()).isEqualTo(120);
        assertThat(builder.build(session, Set.of(), 5)).isNull();
    }

    /** Session S1 (version 3) as loaded from the store, holding {@code cart} as its only attribute. */
    private static ClusteredSession loadedWithCart(List<String> cart) {
        byte[] stored = CODEC.encode(cart);
        ClusteredSession session = new ClusteredSession(new ClusteredSessionManager());
        session.loadFrom(new SessionRecord("S1", 3, 1, 1, 60, Map.of("cart", stored)), Map.of("cart", cart),
                Map.of("cart", Fingerprint.of(stored)));
        session.assignDetachedId("S1");
        return session;
    }
}
