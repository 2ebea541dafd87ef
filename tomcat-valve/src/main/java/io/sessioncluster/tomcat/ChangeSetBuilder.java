package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.CodecException;
import io.sessioncluster.core.codec.Fingerprint;
import io.sessioncluster.core.codec.ImmutableValues;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Turns what a request did to a session into a {@link ChangeSet}: attributes set (encoded now, since the object
 * may have changed after {@code setAttribute}), attributes removed, and attributes the request read that are not
 * immutable and whose encoded form no longer matches the fingerprint last stored (mutated in place). An attribute
 * that cannot be encoded or is larger than {@code maxAttributeBytes} is logged and left out; the request goes on.
 */
final class ChangeSetBuilder {

    private static final Log log = Logs.of(ChangeSetBuilder.class);
    private static final StringManager sm = StringManager.getManager(ChangeSetBuilder.class);

    private final AttributeCodec codec;
    private final AuthReplication auth;
    private final boolean detectMutations;
    private final StoreClock clock;
    private final RateLimitedLog skipped = new RateLimitedLog(60, TimeUnit.SECONDS);

    /** @param detectMutations re-encode what a request read to find in-place changes ({@code detectMutations}) */
    ChangeSetBuilder(AttributeCodec codec, AuthReplication auth, boolean detectMutations) {
        this(codec, auth, detectMutations, StoreClock.local());
    }

    /** @param clock converts the session's times, read on this node's clock, to the store's */
    ChangeSetBuilder(AttributeCodec codec, AuthReplication auth, boolean detectMutations, StoreClock clock) {
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
            // could have been mutated in place. Skips the collections and the SessionChanges copy below.
            return null;
        }
        Set<String> readNames = new HashSet<>();
        SessionChanges taken = session.takeChanges(reads, readNames);
        if (!detectMutations) {
            readNames.clear(); // only setAttribute counts: nothing read is re-encoded
        }
        String id = session.baseId();
        Map<String, byte[]> set = new LinkedHashMap<>();
        Map<String, Long> encodedFingerprints = new HashMap<>();
        Set<String> removed = new LinkedHashSet<>(taken.removed());

        for (String name : taken.set()) {
            Object value = session.attributeValue(name);
            if (value == null) {
                continue; // removed again after it was set; the removal was marked too
            }
            byte[] bytes = encode(id, name, value);
            if (bytes != null) {
                set.put(name, bytes);
                encodedFingerprints.put(name, Fingerprint.of(bytes));
            }
        }
        if (taken.auth()) {
            byte[] state = auth.encode(session);
            if (state == null) {
                removed.add(AuthStateCodec.ATTRIBUTE);
            } else {
                set.put(AuthStateCodec.ATTRIBUTE, state);
            }
        }
        List<String> candidates = new ArrayList<>();
        for (String name : readNames) {
            if (set.containsKey(name) || taken.set().contains(name) || removed.contains(name)) {
                continue;
            }
            Object value = session.attributeValue(name);
            if (value != null && !ImmutableValues.isImmutable(value)) {
                candidates.add(name);
            }
        }
        Map<String, Long> mutated = mutatedInPlace(session, id, candidates, set);
        encodedFingerprints.putAll(mutated);
        session.fingerprinted(encodedFingerprints);

        if (set.isEmpty() && removed.isEmpty() && !taken.created() && !taken.metadata()) {
            return null;
        }
        ChangeSet changes = new ChangeSet(id, taken.created(), clock.toStore(session.getCreationTimeInternal()),
                clock.toStore(now),
                session.getMaxInactiveInterval(), set, removed);
        // Attributes found mutated in place carry no set mark; a failed write must give them back as set marks too,
        // or their new fingerprint (recorded above) would hide the change from every later request.
        SessionChanges marks = mutated.isEmpty() ? taken
                : taken.then(new SessionChanges(mutated.keySet(), Set.of(), false, false));
        return new PendingWrite(session, changes, marks);
    }

    /**
     * Finds the read attributes whose encoded form no longer matches the stored fingerprint, adds their bytes to
     * {@code set} and returns their new fingerprints.
     *
     * <p>Attributes of one session often share objects (a cart pointing at its owner, the owner at the cart), so
     * encoding each alone walks the shared graph once per attribute. Several read attributes are therefore first
     * encoded together, as one graph: if that joint encoding matches the one recorded the last time these
     * attributes all matched their stored fingerprints, none of them changed, and one walk sufficed. Otherwise each
     * is encoded alone and compared, as for a single attribute, and the joint fingerprint is recorded if all
     * matched. Equal encodings mean equal content (the encoding is decodable), so this finds exactly what the
     * attribute-by-attribute check finds.
     */
    private Map<String, Long> mutatedInPlace(ClusteredSession session, String id, List<String> candidates,
                                             Map<String, byte[]> set) {
        if (candidates.isEmpty()) {
            return Map.of();
        }
        if (candidates.size() == 1) {
            return mutatedAlone(session, id, candidates.get(0), set);
        }
        candidates.sort(null);
        List<String> readSet = List.copyOf(candidates);
        long generation = session.readSetGeneration();
        Long joint = jointFingerprint(session, readSet);
        if (joint != null && joint.equals(session.verifiedReadSet(readSet))) {
            return Map.of();
        }
        Map<String, Long> mutated = new HashMap<>();
        boolean allEncoded = true;
        for (String name : readSet) {
            Object value = session.attributeValue(name);
            byte[] bytes = value == null ? null : encode(id, name, value);
            if (bytes == null) {
                allEncoded = false;
                continue;
            }
            long fingerprint = Fingerprint.of(bytes);
            Long stored = session.fingerprint(name);
            if (stored == null || stored != fingerprint) {
                set.put(name, bytes);
                mutated.put(name, fingerprint);
            }
        }
        if (joint != null && allEncoded && mutated.isEmpty()) {
            session.readSetVerified(readSet, joint, generation);
        }
        return mutated;
    }

    /** One read attribute: hashed in place first, encoded (for the write) only if it changed. */
    private Map<String, Long> mutatedAlone(ClusteredSession session, String id, String name, Map<String, byte[]> set) {
        Object value = session.attributeValue(name);
        Long stored = session.fingerprint(name);
        if (stored != null && value != null) {
            try {
                if (codec.fingerprint(value) == stored) {
                    return Map.of();
                }
            } catch (RuntimeException e) {
                // reported by the encoding below
            }
        }
        byte[] bytes = value == null ? null : encode(id, name, value);
        if (bytes == null) {
            return Map.of();
        }
        long fingerprint = Fingerprint.of(bytes);
        if (stored != null && stored == fingerprint) {
            return Map.of();
        }
        set.put(name, bytes);
        return Map.of(name, fingerprint);
    }

    /** The fingerprint of the named attributes encoded as one graph, or null if they cannot be (too large). */
    private Long jointFingerprint(ClusteredSession session, List<String> names) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = session.attributeValue(names.get(i));
            if (values[i] == null) {
                return null; // removed by a concurrent request meanwhile
            }
        }
        try {
            return codec.fingerprint(Arrays.asList(values));
        } catch (RuntimeException e) {
            return null; // the attribute-by-attribute check that follows reports what cannot be encoded
        }
    }

    private byte[] encode(String sessionId, String name, Object value) {
        try {
            return codec.encode(value);
        } catch (RuntimeException e) {
            // CodecException in the normal case; anything else a value's own serialization code threw.
            long suppressed = skipped.permit(name);
            if (suppressed >= 0) {
                String reason = e instanceof CodecException ? e.getMessage() : e.toString();
                log.warn(sm.getString("manager.attributeSkipped", name, SessionIds.redact(sessionId), reason,
                        Long.valueOf(suppressed)));
            }
            return null;
        }
    }
}
