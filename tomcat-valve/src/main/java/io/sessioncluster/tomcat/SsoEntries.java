package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.codec.CodecException;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The single sign-on entries of one {@code ClusteredSingleSignOn} in a {@link SessionStore} of their own: the store
 * is the truth, every node reads the entry there, so a node that never saw the login finds it.
 *
 * <p>Layout: one store record per entry, its id the SSO cookie's value (without a route suffix, checked with
 * {@link SessionIds#isWellFormed} before any store call: it comes from a cookie). Attributes:
 * <ul>
 *   <li>{@value #AUTH}: the principal and auth type in {@link AuthStateCodec}'s format (a {@code GenericPrincipal}
 *       field by field, no class names); never a username or password;</li>
 *   <li>{@code session:<host>|<context>|<base id>}: one per associated session ({@link SsoSession}).</li>
 * </ul>
 * The record's max inactive interval is the larger of {@code ssoMaxInactiveSeconds} and the longest timeout of the
 * sessions associated with it; requests carrying the cookie touch it (batched). An abandoned record expires in the
 * store, which has no listener to fire: it is only deleted.
 */
final class SsoEntries {

    static final String AUTH = "#sso.auth";

    private static final Log log = Logs.of(SsoEntries.class);
    private static final StringManager sm = StringManager.getManager(SsoEntries.class);
    private static final int SWEEP_LIMIT = 500;

    /** One entry as the store holds it. */
    record Entry(String id, long creationTime, int maxInactiveSeconds, Principal principal, String authType,
                 List<SsoSession> sessions) {

        boolean has(SsoSession session) {
            return sessions.contains(session);
        }
    }

    private final SessionStore store;
    private final AuthStateCodec codec;
    private final TouchBatcher touches;
    private final int minMaxInactiveSeconds;
    /** Entry times are kept on the store's clock (an entry's creation time is only ever written back). */
    private final StoreClock clock;

    SsoEntries(SessionStore store, AuthStateCodec codec, int minMaxInactiveSeconds) {
        this.store = store;
        this.codec = codec;
        this.clock = new StoreClock(store, System::currentTimeMillis);
        clock.measureAtStart(); // best effort: a store that is down now is measured by maintain later
        this.touches = new TouchBatcher(store, clock);
        this.minMaxInactiveSeconds = minMaxInactiveSeconds;
    }

    /** The store key of a cookie value, or null if the value is not well formed (then nothing is asked). */
    static String keyOf(String ssoId) {
        return SessionIds.isWellFormed(ssoId) ? SessionIds.baseId(ssoId) : null;
    }

    /**
     * The entry, touched; empty if the store does not hold it or holds it in a form this node cannot read (logged).
     *
     * @throws StoreUnavailableException if the store does not answer
     */
    Optional<Entry> find(String key) {
        Optional<Entry> entry = load(key);
        entry.ifPresent(e -> touches.touch(key, System.currentTimeMillis()));
        return entry;
    }

    private Optional<Entry> load(String key) {
        Optional<SessionRecord> record;
        try {
            record = store.load(key);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (StoreException e) {
            log.warn(sm.getString("sso.corruptEntry", SessionIds.redact(key), e.getMessage()));
            return Optional.empty();
        }
        return record.flatMap(this::decode);
    }

    private Optional<Entry> decode(SessionRecord record) {
        byte[] auth = record.attributes().get(AUTH);
        if (auth == null) {
            return Optional.empty(); // an entry being deleted, or a record that is not ours
        }
        AuthState state;
        try {
            state = codec.decode(auth);
        } catch (CodecException e) {
            log.warn(sm.getString("sso.corruptEntry", SessionIds.redact(record.id()), e.getMessage()));
            return Optional.empty();
        }
        List<SsoSession> sessions = new ArrayList<>();
        for (Map.Entry<String, byte[]> attribute : record.attributes().entrySet()) {
            if (attribute.getKey().startsWith(SsoSession.ATTRIBUTE_PREFIX)) {
                try {
                    sessions.add(SsoSession.decode(attribute.getValue()));
                } catch (AuthBytes.Malformed e) {
                    log.warn(sm.getString("sso.corruptEntry", SessionIds.redact(record.id()), e.getMessage()));
                }
            }
        }
        return Optional.of(new Entry(record.id(), record.creationTime(), record.maxInactiveSeconds(),
                state.principal(), state.authType(), List.copyOf(sessions)));
    }

    /**
     * Creates the entry of a new login.
     *
     * @throws CodecException if the principal cannot be encoded (not on the allow-list)
     * @throws StoreException if the store fails
     */
    Entry create(String key, Principal principal, String authType) {
        long now = clock.now();
        byte[] auth = codec.encode(new AuthState(principal, authType, null, null));
        WriteResult result = store.write(new ChangeSet(key, true, now, now, minMaxInactiveSeconds, Map.of(AUTH, auth),
                Set.of()));
        if (result.status() != WriteResult.Status.WRITTEN) {
            throw new StoreException("single sign-on entry " + SessionIds.redact(key) + ": " + result.status());
        }
        return new Entry(key, now, minMaxInactiveSeconds, principal, authType, List.of());
    }

    /** Replaces the principal and auth type of an existing entry. */
    void update(Entry entry, Principal principal, String authType) {
        byte[] auth = codec.encode(new AuthState(principal, authType, null, null));
        write(entry, entry.maxInactiveSeconds(), Map.of(AUTH, auth), Set.of());
    }

    /**
     * Adds (or, after a change of id, replaces) one session of the entry; other nodes' associations are untouched.
     *
     * @param previous the same session under its former id, to remove, or null
     */
    void associate(Entry entry, SsoSession session, int sessionTimeoutSeconds, SsoSession previous) {
        int maxInactive = Math.max(entry.maxInactiveSeconds(), Math.max(minMaxInactiveSeconds, sessionTimeoutSeconds));
        Set<String> removed = previous == null || previous.sameSession(session) ? Set.of()
                : Set.of(previous.attributeName());
        write(entry, maxInactive, Map.of(session.attributeName(), session.encode()), removed);
    }

    /**
     * Removes one session of the entry.
     *
     * @return the entry as it is afterwards, or empty if the store no longer holds it
     */
    Optional<Entry> dissociate(String key, SsoSession session) {
        Optional<Entry> entry = load(key);
        if (entry.isEmpty()) {
            return entry;
        }
        write(entry.get(), entry.get().maxInactiveSeconds(), Map.of(), Set.of(session.attributeName()));
        return load(key);
    }

    /**
     * Deletes the entry.
     *
     * @return the entry as it was when this call deleted it, or empty if it was gone already
     */
    Optional<Entry> delete(String key) {
        Optional<Entry> entry = load(key);
        touches.forget(key);
        return store.delete(key) ? entry : Optional.empty();
    }

    private void write(Entry entry, int maxInactive, Map<String, byte[]> set, Set<String> removed) {
        // An update never recreates a record: an entry deleted meanwhile (a logout elsewhere) stays deleted.
        store.write(new ChangeSet(entry.id(), false, entry.creationTime(), clock.now(), maxInactive,
                set, removed));
    }

    /** Sends the batched touches and deletes the records that expired (abandoned logins). Never throws. */
    void maintain(long nowMillis) {
        clock.measure();
        touches.flush();
        if (!clock.isMeasured()) {
            return; // no expiry decided on this node's own clock, which may be minutes off the store's
        }
        try {
            int expired = store.claimExpired(clock.toStore(nowMillis), SWEEP_LIMIT).size();
            if (expired > 0 && log.isDebugEnabled()) {
                log.debug(sm.getString("sso.expired", Integer.valueOf(expired)));
            }
        } catch (StoreException e) {
            log.warn(sm.getString("sso.sweepFailed", e.getMessage()));
        }
    }

    void close() {
        touches.flush();
        store.close();
    }
}
