package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.CodecException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds a local session from a stored record, decoding each attribute on its own: an attribute that cannot be
 * decoded here (class not allowed, class missing on this node, corrupt bytes) is left out with a WARN naming it and
 * the reason, and the session keeps its other attributes. The left-out attribute is not deleted from the store
 * ({@link ClusteredSession} only replicates removals of attributes it holds), so nodes that can read it still do.
 * The reserved auth-state attribute becomes the session's principal, auth type and login notes
 * ({@link AuthReplication}), not an attribute.
 */
final class SessionLoader {

    private static final Log log = Logs.of(SessionLoader.class);
    private static final StringManager sm = StringManager.getManager(SessionLoader.class);

    private final AttributeCodec codec;
    private final AuthReplication auth;
    private final Supplier<ClusteredSession> emptySessions;
    private final StoreClock clock;

    SessionLoader(AttributeCodec codec, AuthReplication auth, Supplier<ClusteredSession> emptySessions,
                  StoreClock clock) {
        this.codec = codec;
        this.auth = auth;
        this.emptySessions = emptySessions;
        this.clock = clock;
    }

    /** A session filled from {@code record}, not registered with the manager and with no id yet. */
    ClusteredSession build(SessionRecord record) {
        Map<String, Object> values = new HashMap<>();
        Map<String, Long> fingerprints = new HashMap<>();
        AuthState authState = AuthState.NONE;
        for (Map.Entry<String, byte[]> attribute : record.attributes().entrySet()) {
            String name = attribute.getKey();
            if (AuthStateCodec.ATTRIBUTE.equals(name)) {
                authState = auth.decode(record.id(), attribute.getValue());
                continue;
            }
            try {
                Object value = codec.decode(attribute.getValue());
                values.put(name, value);
                fingerprint(value).ifPresent(f -> fingerprints.put(name, f));
            } catch (CodecException e) {
                log.warn(sm.getString("manager.attributeDropped", name, SessionIds.redact(record.id()), e.reason(),
                        e.getMessage()));
            } catch (RuntimeException | LinkageError e) {
                // A class's own readObject failing, or a class it needs missing, is unreadable data here too.
                log.warn(sm.getString("manager.attributeDropped", name, SessionIds.redact(record.id()),
                        CodecException.Reason.CORRUPT, e.toString()));
            }
        }
        ClusteredSession session = emptySessions.get();
        // The record's times are on the store's clock; the local copy keeps this node's, as Tomcat does.
        SessionRecord local = new SessionRecord(record.id(), record.version(), clock.toNode(record.creationTime()),
                clock.toNode(record.lastAccessedTime()), record.maxInactiveSeconds(), record.attributes());
        session.loadFrom(local, values, fingerprints, authState);
        return session;
    }

    /**
     * The baseline of the in-place mutation check, taken from the decoded value; none if it cannot be taken (the
     * attribute then counts as changed whenever a request reads it).
     */
    private Optional<Long> fingerprint(Object decoded) {
        try {
            return Optional.of(codec.fingerprint(decoded));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
