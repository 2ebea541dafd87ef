package io.sessioncluster.tomcat;

import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.Fingerprint;

import org.apache.catalina.authenticator.Constants;
import org.apache.catalina.authenticator.SavedRequest;
import org.apache.catalina.realm.GenericPrincipal;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static final AuthReplication AUTH = new AuthReplication(new AuthStateCodec(CODEC), true);

    private final ChangeSetBuilder builder = new ChangeSetBuilder(CODEC, AUTH, true);

    @Test
    void aLoginIsWrittenAsTheAuthStateAndALogoutOfThePrincipalRemovesIt() {
        ClusteredSession session = loadedWithCart(new ArrayList<>(List.of("apple")));
        session.setAuthType("FORM");
        session.setPrincipal(new GenericPrincipal("alice", List.of("user")));
        session.setNote(Constants.SESS_PASSWORD_NOTE, "secret"); // cache="false": never leaves the node

        PendingWrite login = builder.build(session, Set.of(), 2);
        assertThat(login.changes().setAttributes()).containsOnlyKeys(AuthStateCodec.ATTRIBUTE);
        byte[] stored = login.changes().setAttributes().get(AuthStateCodec.ATTRIBUTE);
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(new AuthStateCodec(CODEC).decode(stored).principal().getName()).isEqualTo("alice");

        assertThat(builder.build(session, Set.of(), 3)).as("nothing changed since").isNull();

        session.setPrincipal(null);
        session.setAuthType(null);
        PendingWrite logout = builder.build(session, Set.of(), 4);
        assertThat(logout.changes().removedAttributes()).containsExactly(AuthStateCodec.ATTRIBUTE);
    }

    @Test
    void aLoginAndALogoutChangeTheNameTheSessionIsIndexedUnderAndNothingElseDoes() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loadedWithCart(cart);
        session.setPrincipal(new GenericPrincipal("alice", List.of("user")));
        assertThat(builder.build(session, Set.of(), 2).changes().principal()).isEqualTo(PrincipalChange.to("alice"));

        cart.add("pear"); // a change of another kind: written, the index left alone
        PendingWrite other = builder.build(session, Set.of("cart"), 3);
        assertThat(other.changes().setAttributes()).containsOnlyKeys("cart");
        assertThat(other.changes().principal()).isEqualTo(PrincipalChange.UNCHANGED);

        session.setPrincipal(null);
        assertThat(builder.build(session, Set.of(), 4).changes().principal()).isEqualTo(PrincipalChange.CLEARED);
    }

    @Test
    void withoutAContainerLoginThePrincipalAttributeNamesTheUser() {
        PrincipalNames names = new PrincipalNames("SPRING_SECURITY_CONTEXT");
        ClusteredSession session = new ClusteredSession(new ClusteredSessionManager());
        session.loadFrom(new SessionRecord("S2", 1, 1, 1, 60, Map.of()),
                Map.of("SPRING_SECURITY_CONTEXT", new SecurityContextLike("carol")), Map.of(), AuthState.NONE);
        session.assignDetachedId("S2");
        Map<String, byte[]> contextSet = Map.of("SPRING_SECURITY_CONTEXT", new byte[] {1});

        assertThat(names.change(session, false, contextSet, Set.of())).isEqualTo(PrincipalChange.to("carol"));
        assertThat(names.change(session, false, Map.of("cart", new byte[] {1}), Set.of()))
                .as("another attribute changed").isEqualTo(PrincipalChange.UNCHANGED);
        session.setPrincipal(new GenericPrincipal("alice", List.of()));
        assertThat(names.change(session, true, Map.of(), Set.of())).as("the container login wins")
                .isEqualTo(PrincipalChange.to("alice"));

        ClusteredSession loggedOut = new ClusteredSession(new ClusteredSessionManager());
        loggedOut.loadFrom(new SessionRecord("S3", 1, 1, 1, 60, Map.of()), Map.of(), Map.of(), AuthState.NONE);
        assertThat(names.change(loggedOut, false, Map.of(), Set.of("SPRING_SECURITY_CONTEXT")))
                .isEqualTo(PrincipalChange.CLEARED);
        assertThat(new PrincipalNames(null).change(session, false, contextSet, Set.of()))
                .as("no principal attribute set").isEqualTo(PrincipalChange.UNCHANGED);
    }

    @Test
    void aNameTooLongToIndexTakesTheSessionOutOfTheIndex() {
        ClusteredSession session = loadedWithCart(new ArrayList<>(List.of("apple")));
        session.setPrincipal(new GenericPrincipal("x".repeat(PrincipalChange.MAX_NAME_LENGTH + 1), List.of()));

        assertThat(builder.build(session, Set.of(), 2).changes().principal()).isEqualTo(PrincipalChange.CLEARED);
    }

    @Test
    void thePrincipalAttributesValueMayBeTextAPrincipalOrHoldAnAuthentication() {
        assertThat(PrincipalNames.nameOf("dave")).isEqualTo("dave");
        assertThat(PrincipalNames.nameOf("")).isNull();
        assertThat(PrincipalNames.nameOf(new GenericPrincipal("erin", List.of()))).isEqualTo("erin");
        assertThat(PrincipalNames.nameOf(new SecurityContextLike("frank"))).isEqualTo("frank");
        assertThat(PrincipalNames.nameOf(new SecurityContextLike(null))).as("no authentication yet").isNull();
        assertThat(PrincipalNames.nameOf(new FailingContext())).as("a getter that throws names nobody").isNull();
        assertThat(PrincipalNames.nameOf(42)).isNull();
    }

    /** The shape of Spring Security's SecurityContextImpl: an Authentication, which is a Principal. */
    public static final class SecurityContextLike implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        SecurityContextLike(String name) {
            this.name = name;
        }

        public java.security.Principal getAuthentication() {
            return name == null ? null : new GenericPrincipal(name, List.of());
        }
    }

    public static final class FailingContext {
        public java.security.Principal getAuthentication() {
            throw new IllegalStateException("broken");
        }
    }

    @Test
    void aLoginWhoseWriteFailedIsWrittenWithTheNextRequest() {
        ClusteredSession session = loadedWithCart(new ArrayList<>(List.of("apple")));
        session.setNote(Constants.FORM_REQUEST_NOTE, new SavedRequest());
        PendingWrite first = builder.build(session, Set.of(), 2);
        assertThat(first.changes().setAttributes()).containsOnlyKeys(AuthStateCodec.ATTRIBUTE);

        session.restoreChanges(first.taken());

        PendingWrite retry = builder.build(session, Set.of(), 3);
        assertThat(retry).isNotNull();
        assertThat(retry.changes().setAttributes()).containsOnlyKeys(AuthStateCodec.ATTRIBUTE);
    }

    @Test
    void notesOtherThanTheLoginsOwnAreNoChange() {
        ClusteredSession session = loadedWithCart(new ArrayList<>(List.of("apple")));
        session.setNote(Constants.SESS_USERNAME_NOTE, "alice");
        session.setNote("org.example.something", "x");

        assertThat(builder.build(session, Set.of(), 2)).isNull();
    }

    @Test
    void theReservedNameIsNotAnApplicationsAttribute() {
        ClusteredSession session = loadedWithCart(new ArrayList<>(List.of("apple")));
        assertThatThrownBy(() -> session.setAttribute(AuthStateCodec.ATTRIBUTE, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

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
        ChangeSetBuilder setAttributeOnly = new ChangeSetBuilder(CODEC, AUTH, false);
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

    @Test
    void aReadAttributeIsEncodedOnlyWhenItChangedAndThenOnce() {
        CountingCodec counting = new CountingCodec();
        ChangeSetBuilder counted = new ChangeSetBuilder(counting, AUTH, true);
        List<Object> shared = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loaded(Map.of("cart", new ArrayList<>(List.of(shared)),
                "wishlist", new ArrayList<>(List.of(shared))));

        assertThat(counted.build(session, Set.of("cart", "wishlist"), 2)).isNull();
        assertThat(counting.encodes).as("unchanged: fingerprinted, never encoded").isZero();

        shared.add("pear"); // the object both attributes hold, mutated in place
        PendingWrite write = counted.build(session, Set.of("cart", "wishlist"), 4);
        assertThat(write).isNotNull();
        assertThat(write.changes().setAttributes()).containsOnlyKeys("cart", "wishlist");
        assertThat(counting.encodes).as("each changed attribute encoded once").isEqualTo(2);

        counting.encodes = 0;
        assertThat(counted.build(session, Set.of("cart", "wishlist"), 5)).as("written: the new state is known").isNull();
        assertThat(counting.encodes).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void attributesReadTogetherAndUnchangedAreWalkedOnceAsOneGraph() {
        CountingCodec counting = new CountingCodec();
        ChangeSetBuilder counted = new ChangeSetBuilder(counting, AUTH, true);
        List<Object> shared = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loaded(Map.of("cart", new ArrayList<>(List.of(shared)),
                "wishlist", new ArrayList<>(List.of(shared)), "lastPage", new ArrayList<>(List.of("/"))));

        assertThat(counted.build(session, Set.of("cart", "wishlist"), 2)).isNull();
        assertThat(counting.fingerprints).as("first time: jointly, then each alone to verify").isEqualTo(3);

        counting.fingerprints = 0;
        assertThat(counted.build(session, Set.of("wishlist", "cart"), 3)).isNull();
        assertThat(counting.fingerprints).as("verified before: one joint walk").isEqualTo(1);

        session.markSet("lastPage"); // another attribute changes: the record stays valid
        ((List<String>) session.attributeValue("lastPage")).add("/cart");
        assertThat(counted.build(session, Set.of(), 4).changes().setAttributes()).containsOnlyKeys("lastPage");
        counting.fingerprints = 0;
        assertThat(counted.build(session, Set.of("wishlist", "cart"), 5)).isNull();
        assertThat(counting.fingerprints).isEqualTo(1);

        shared.add("pear"); // the object both attributes hold, mutated in place
        PendingWrite write = counted.build(session, Set.of("cart", "wishlist"), 6);
        assertThat(write).isNotNull();
        assertThat(write.changes().setAttributes()).containsOnlyKeys("cart", "wishlist");
    }

    @Test
    void aJointRecordIsNotTrustedOnceTheStoredFingerprintOfOneOfItsAttributesMoved() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        List<String> wishlist = new ArrayList<>(List.of("plum"));
        ClusteredSession session = loaded(Map.of("cart", cart, "wishlist", wishlist));
        assertThat(builder.build(session, Set.of("cart", "wishlist"), 2)).isNull(); // recorded: apple, plum

        session.fingerprinted(Map.of("cart", 7L)); // as after another request's write of the cart
        PendingWrite write = builder.build(session, Set.of("cart", "wishlist"), 3);
        assertThat(write).as("apple no longer matches what is stored").isNotNull();
        assertThat(write.changes().setAttributes()).containsOnlyKeys("cart");
    }

    @Test
    void settingAnAttributeToItsUnchangedValueWritesNothing() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loadedWithCart(cart);

        session.markSet("cart"); // setAttribute("cart", cart), as Spring does with its session-scoped beans on every request
        assertThat(builder.build(session, Set.of(), 2)).isNull();
        assertThat(session.hasUnsentChanges()).isFalse();

        cart.add("pear");
        session.markSet("cart");
        PendingWrite changed = builder.build(session, Set.of(), 3);
        assertThat(changed.changes().setAttributes()).containsOnlyKeys("cart");
        assertThat(CODEC.decode(changed.changes().setAttributes().get("cart"))).isEqualTo(List.of("apple", "pear"));

        session.markSet("cart"); // set again after its write, unchanged
        assertThat(builder.build(session, Set.of(), 4)).isNull();
    }

    @Test
    void aValueChangedBackAfterItsWriteIsWrittenAgain() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        List<String> wishlist = new ArrayList<>(List.of("plum"));
        ClusteredSession session = loaded(Map.of("cart", cart, "wishlist", wishlist));
        assertThat(builder.build(session, Set.of("cart", "wishlist"), 2)).isNull();

        cart.add("pear");
        PendingWrite alone = builder.build(session, Set.of("cart"), 3); // stored now: apple+pear
        assertThat(alone.changes().setAttributes()).containsOnlyKeys("cart");

        cart.remove("pear"); // back to the content first loaded, but not what is stored
        PendingWrite back = builder.build(session, Set.of("cart", "wishlist"), 4);
        assertThat(back).isNotNull();
        assertThat(back.changes().setAttributes()).containsOnlyKeys("cart");
        assertThat(CODEC.decode(back.changes().setAttributes().get("cart"))).isEqualTo(List.of("apple"));
    }

    @Test
    void aMutationFoundInPlaceIsGivenBackAsASetMarkWhenItsWriteFails() {
        List<String> cart = new ArrayList<>(List.of("apple"));
        ClusteredSession session = loadedWithCart(cart);
        cart.add("pear");
        PendingWrite write = builder.build(session, Set.of("cart"), 2);
        assertThat(write.taken().set()).containsExactly("cart");

        session.restoreChanges(write.taken());
        PendingWrite again = builder.build(session, Set.of(), 3);
        assertThat(again.changes().setAttributes()).containsOnlyKeys("cart");
    }

    /** Session S1 (version 3) as loaded from the store, holding {@code attributes}. */
    private static ClusteredSession loaded(Map<String, Object> attributes) {
        Map<String, byte[]> stored = new java.util.HashMap<>();
        Map<String, Long> fingerprints = new java.util.HashMap<>();
        attributes.forEach((name, value) -> {
            byte[] bytes = CODEC.encode(value);
            stored.put(name, bytes);
            fingerprints.put(name, Fingerprint.of(bytes));
        });
        ClusteredSession session = new ClusteredSession(new ClusteredSessionManager());
        session.loadFrom(new SessionRecord("S1", 3, 1, 1, 60, stored), attributes, fingerprints, AuthState.NONE);
        session.assignDetachedId("S1");
        return session;
    }

    /** {@link #CODEC} with a fingerprint that needs no encoding (as the Kryo codec's walk), counting both. */
    private static final class CountingCodec implements AttributeCodec {
        int encodes;
        int fingerprints;

        @Override
        public long fingerprint(Object value) {
            fingerprints++;
            return Fingerprint.of(CODEC.encode(value instanceof Object[] array ? List.of(array) : value));
        }

        @Override
        public Encoded encodeIfChanged(Object value, Long known) {
            long fingerprint = fingerprint(value);
            return known != null && known == fingerprint ? null : new Encoded(encode(value), fingerprint);
        }

        @Override
        public byte[] encode(Object value) {
            encodes++;
            return CODEC.encode(value);
        }

        @Override
        public Object decode(byte[] bytes) {
            return CODEC.decode(bytes);
        }

        @Override
        public void checkAllowed(Object value) {
        }
    }

    /** Session S1 (version 3) as loaded from the store, holding {@code cart} as its only attribute. */
    private static ClusteredSession loadedWithCart(List<String> cart) {
        byte[] stored = CODEC.encode(cart);
        ClusteredSession session = new ClusteredSession(new ClusteredSessionManager());
        session.loadFrom(new SessionRecord("S1", 3, 1, 1, 60, Map.of("cart", stored)), Map.of("cart", cart),
                Map.of("cart", Fingerprint.of(stored)), AuthState.NONE);
        session.assignDetachedId("S1");
        return session;
    }
}
