package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.CodecException;
import io.sessioncluster.core.codec.ImmutableValues;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Turns what a request did to a session into a {@link ChangeSet}: attributes set (encoded now, since the object
 * may have changed after {@code setAttribute}) unless their fingerprint shows them unchanged since last written or
 * loaded, attributes removed, and attributes the request read that are not immutable and whose fingerprint no
 * longer matches (mutated in place). Each changed attribute is encoded once. An attribute that cannot be encoded or
 * is larger than {@code maxAttributeBytes} is logged and left out; the request goes on.
 */
final class ChangeSetBuilder {

    private static final Log log = Logs.of(ChangeSetBuilder.class);
    private static final StringManager sm = StringManager.getManager(ChangeSetBuilder.class);

    private final AttributeCodec codec;
    private final AuthReplication auth;
    private final boolean detectMutations;
    private final PrincipalNames principals;
    private final StoreClock clock;
    private final RateLimitedLog skipped = new RateLimitedLog(60, TimeUnit.SECONDS);

    /** @param detectMutations re-encode what a request read to find in-place changes ({@code detectMutations}) */
    ChangeSetBuilder(AttributeCodec codec, AuthReplication auth, boolean detectMutations) {
        this(codec, auth, detectMutations, StoreClock.local(), new PrincipalNames(null));
    }

    /** @param clock converts the session's times, read on this node's clock, to the store's */
    ChangeSetBuilder(AttributeCodec codec, AuthReplication auth, boolean detectMutations, StoreClock clock,
                     PrincipalNames principals) {
        this.principals = principals;
        this.codec = codec;
        this.auth = auth;
        this.detectMutations = detectMutations;
        this.clock = clock;
    }

    /**
     * Takes the session's change marks and builds its change set.
     *
     * @param reads names the request read
     * @return the write, or {@code null} if nothing but the access time changed (the caller batches a touch)
     */
    PendingWrite build(ClusteredSession session, Set<String> reads, long now) {
        if ((reads.isEmpty() || !detectMutations) && session.hasNothingToTake()) {
            // The common case of a request that only looked at the session: no marks to take, nothing read that
            // could have been mutated in place.
            return null;
        }
        SessionChanges taken = session.takeChanges();
        Set<String> readOutside = session.takeReadsOutsideRequest();
        String id = session.baseId();
        Changes changes = new Changes();

        for (String name : taken.set()) {
            Object value = session.attributeValue(name);
            if (value != null) { // null: removed again after it was set; the removal was marked too
                // Unchanged since it was last written or loaded (Spring re-sets its session-scoped beans on every
                // request): nothing to write.
                changes.add(name, encodeIfChanged(id, name, value, session.fingerprint(name)), false);
            }
        }
        if (detectMutations) {
            checkReads(session, id, candidates(session, reads, readOutside, taken), changes);
        }
        Set<String> removed = taken.removed();
        if (taken.auth()) {
            byte[] state = auth.encode(session);
            if (state == null) {
                removed = new LinkedHashSet<>(removed);
                removed.add(AuthStateCodec.ATTRIBUTE);
            } else {
                changes.set().put(AuthStateCodec.ATTRIBUTE, state);
            }
        }
        session.fingerprinted(changes.fingerprints);
        PrincipalChange principal = principals.change(session, taken.auth(), changes.set, removed);

        if (changes.set.isEmpty() && removed.isEmpty() && !taken.created() && !taken.metadata()
                && !principal.changed()) {
            return null;
        }
        ChangeSet changeSet = new ChangeSet(id, taken.created(), clock.toStore(session.getCreationTimeInternal()),
                clock.toStore(now), session.getMaxInactiveInterval(), changes.set, removed, principal);
        // Attributes found mutated in place carry no set mark; a failed write must give them back as set marks too,
        // or their new fingerprint (recorded above) would hide the change from every later request.
        SessionChanges marks = changes.mutated.isEmpty() ? taken
                : taken.then(new SessionChanges(changes.mutated, Set.of(), false, false));
        return new PendingWrite(session, changeSet, marks);
    }

    /** The read attributes that could have been mutated in place: not immutable, not set or removed by the request. */
    private static List<String> candidates(ClusteredSession session, Set<String> reads, Set<String> readOutside,
                                           SessionChanges taken) {
        List<String> candidates = addCandidates(session, reads, taken, List.of());
        return addCandidates(session, readOutside, taken, candidates);
    }

    /** {@code candidates} with the candidates among {@code names}; allocates only once there is one. */
    private static List<String> addCandidates(ClusteredSession session, Set<String> names, SessionChanges taken,
                                              List<String> candidates) {
        for (String name : names) {
            if (taken.set().contains(name) || taken.removed().contains(name) || candidates.contains(name)) {
                continue;
            }
            Object value = session.attributeValue(name);
            if (value != null && !ImmutableValues.isImmutable(value)) {
                if (candidates.isEmpty()) {
                    candidates = new ArrayList<>(4);
                }
                candidates.add(name);
            }
        }
        return candidates;
    }

    /**
     * The in-place mutation check: each candidate is fingerprinted ({@link AttributeCodec#encodeIfChanged}) and, if
     * it no longer matches what was last written or loaded, encoded once for the write. Several candidates are first
     * walked as one graph ({@link ClusteredSession#readsStillVerified}): attributes of one session often share
     * objects, and one walk of the joint graph then replaces a walk per attribute.
     */
    private void checkReads(ClusteredSession session, String id, List<String> candidates, Changes changes) {
        if (candidates.isEmpty()) {
            return;
        }
        long changesBefore = session.fingerprintChanges();
        Long joint = null;
        if (candidates.size() > 1) {
            candidates.sort(null);
            joint = jointFingerprint(session, candidates);
            if (joint != null && session.readsStillVerified(candidates, joint)) {
                return;
            }
        }
        long[] matched = new long[candidates.size()];
        boolean allMatched = true;
        for (int i = 0; i < matched.length; i++) {
            String name = candidates.get(i);
            Object value = session.attributeValue(name);
            Long stored = session.fingerprint(name);
            if (value == null || stored == null) {
                allMatched = false; // removed by a concurrent request meanwhile, or nothing to compare with
            } else {
                matched[i] = stored;
            }
            if (value != null) {
                AttributeCodec.Encoded encoded = encodeIfChanged(id, name, value, stored);
                allMatched &= encoded == null;
                changes.add(name, encoded, true);
            }
        }
        if (joint != null && allMatched) {
            session.readsVerified(List.copyOf(candidates), joint, matched, changesBefore);
        }
    }

    /** The fingerprint of the named attributes as one graph, or null if it cannot be taken. */
    private Long jointFingerprint(ClusteredSession session, List<String> names) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = session.attributeValue(names.get(i));
            if (values[i] == null) {
                return null;
            }
        }
        try {
            return codec.fingerprint(values);
        } catch (RuntimeException e) {
            return null; // the attribute-by-attribute check reports what cannot be encoded
        }
    }

    /** What this request writes, allocated only once something changed. */
    private static final class Changes {
        Map<String, byte[]> set = Map.of();
        Map<String, Long> fingerprints = Map.of();
        Set<String> mutated = Set.of();

        boolean has(String name) {
            return set.containsKey(name);
        }

        Map<String, byte[]> set() {
            if (set.isEmpty()) {
                set = new LinkedHashMap<>();
            }
            return set;
        }

        void add(String name, AttributeCodec.Encoded encoded, boolean mutatedInPlace) {
            if (encoded == null || encoded == SKIPPED) {
                return;
            }
            set().put(name, encoded.bytes());
            if (encoded.fingerprint() != null) {
                if (fingerprints.isEmpty()) {
                    fingerprints = new HashMap<>();
                }
                fingerprints.put(name, encoded.fingerprint());
            }
            if (mutatedInPlace) {
                if (mutated.isEmpty()) {
                    mutated = new LinkedHashSet<>();
                }
                mutated.add(name);
            }
        }
    }

    /** Stands for an attribute that could not be encoded (logged, left out of the write). */
    private static final AttributeCodec.Encoded SKIPPED = new AttributeCodec.Encoded(new byte[0], null);

    private AttributeCodec.Encoded encodeIfChanged(String sessionId, String name, Object value, Long known) {
        try {
            return codec.encodeIfChanged(value, known);
        } catch (RuntimeException e) {
            logSkipped(sessionId, name, e);
            return SKIPPED;
        }
    }

    private void logSkipped(String sessionId, String name, RuntimeException e) {
        // CodecException in the normal case; anything else a value's own serialization code threw.
        long suppressed = skipped.permit(name);
        if (suppressed >= 0) {
            String reason = e instanceof CodecException ? e.getMessage() : e.toString();
            log.warn(sm.getString("manager.attributeSkipped", name, SessionIds.redact(sessionId), reason,
                    Long.valueOf(suppressed)));
        }
    }
}
