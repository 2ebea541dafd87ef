package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.codec.CodecException;
import io.sessioncluster.core.codec.ImmutableValues;

import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardSession;
import org.apache.tomcat.util.res.StringManager;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link StandardSession} that records what requests change, so that only changed attributes are written:
 * the names set and removed since the last write, the fingerprint of each attribute's encoded form as last
 * stored or loaded (to find attributes mutated in place without {@code setAttribute}), whether the session is
 * in the store yet, and the store's version of it.
 *
 * <p><b>Attribute classes are checked at {@code setAttribute}.</b> A value whose class is not allowed (not built in,
 * not one of the application's own classes, not in {@code allowedClasses}) is rejected there with an
 * {@link IllegalArgumentException} naming the attribute and the class, the way Tomcat rejects a non-serializable attribute of a distributable application, instead of failing
 * later on another node. Classes referenced by the value are checked when it is encoded at the end of the request;
 * a failure there is logged and the attribute is not replicated.
 *
 * <p><b>It never expires by itself.</b> {@link #isValid()} does not compare the idle time with the timeout, as
 * {@code StandardSession} does, because another node may have used the session since: the manager asks the
 * store, which decides once for the whole cluster (see {@link ExpiryProcessor}).
 */
final class ClusteredSession extends StandardSession {

    private static final long serialVersionUID = 1L;
    private static final StringManager SM = StringManager.getManager(ClusteredSession.class);

    /** Guards the change marks below; never held while calling the store. */
    private final transient Object marks = new Object();
    private final transient Set<String> setNames = new LinkedHashSet<>();
    private final transient Set<String> removedNames = new LinkedHashSet<>();
    private transient boolean created;
    private transient boolean metadataChanged;
    private transient boolean authChanged;

    /** Reads made outside any request scope (background or foreign threads). */
    private final transient Set<String> readsOutsideRequest = ConcurrentHashMap.newKeySet();
    /** Attribute name to fingerprint of its encoded form as last written or loaded. */
    private final transient Map<String, Long> fingerprints = new ConcurrentHashMap<>();
    /** Counts changes of {@link #fingerprints} and of the attributes behind them; stamps {@link #verifiedReads}. */
    private final transient AtomicLong fingerprintChanges = new AtomicLong();
    /** Attributes a request read together, walked as one graph, when each matched its fingerprint; or null. */
    private transient volatile VerifiedReads verifiedReads;
    private transient volatile long storedVersion;
    private transient volatile boolean stale;
    /** Requests between {@code access()} and {@code endAccess()}: an eviction must not pull the copy from under them. */
    private final transient AtomicInteger requestsUsing = new AtomicInteger();
    private transient volatile long loadedAtNanos;

    /** Serializes this node's writes of this session, so its versions are observed in order. */
    final transient ReentrantLock writeLock = new ReentrantLock();

    ClusteredSession(Manager manager) {
        super(manager);
    }

    private ClusteredSessionManager clusterManager() {
        return (ClusteredSessionManager) manager;
    }

    /** The store key: the id without its route; cut once per id, not on every request. */
    String baseId() {
        String id = getIdInternal();
        BaseId cached = baseId;
        if (cached == null || cached.id != id) {
            cached = new BaseId(id, id == null ? null : SessionIds.baseId(id));
            baseId = cached;
        }
        return cached.base;
    }

    /** An id and its base id, replaced together when the id changes. */
    private record BaseId(String id, String base) {
    }

    private transient volatile BaseId baseId;

    // ---------------------------------------------------------------- Tomcat behaviour we change

    /** Unlike {@code StandardSession}, never expires itself when idle: the store decides. */
    @Override
    public boolean isValid() {
        return this.isValid;
    }

    boolean isUsable() {
        return isValidInternal();
    }

    @Override
    public void setAttribute(String name, Object value, boolean notify) {
        if (AuthStateCodec.ATTRIBUTE.equals(name)) {
            throw new IllegalArgumentException(SM.getString("session.reservedName", name));
        }
        if (name != null && value != null) {
            try {
                clusterManager().codec().checkAllowed(value);
            } catch (CodecException e) {
                throw new IllegalArgumentException(SM.getString("session.attributeNotAllowed", name, e.getMessage()), e);
            }
        }
        super.setAttribute(name, value, notify);
        if (name != null && value != null) {
            markSet(name);
        }
    }

    /** {@code name} was set: the end of the request writes it, unless its fingerprint shows it unchanged. */
    void markSet(String name) {
        fingerprintChanges.incrementAndGet();
        synchronized (marks) {
            setNames.add(name);
            removedNames.remove(name);
        }
    }

    @Override
    protected void removeAttributeInternal(String name, boolean notify) {
        // Only a removal of something this node holds is replicated: an attribute this node could not decode
        // stays in the store for the nodes that can.
        boolean present = name != null && attributes.containsKey(name);
        super.removeAttributeInternal(name, notify);
        if (present && !expiring) {
            synchronized (marks) {
                removedNames.add(name);
                setNames.remove(name);
            }
            fingerprints.remove(name);
            fingerprintChanges.incrementAndGet();
        }
    }

    @Override
    public Object getAttribute(String name) {
        Object value = super.getAttribute(name);
        if (value != null && !ImmutableValues.isImmutable(value)) {
            RequestScope scope = clusterManager().currentScope();
            if (scope != null) {
                scope.read(this, name);
            } else {
                readsOutsideRequest.add(name);
            }
        }
        return value;
    }

    // The authentication state travels with the session (AuthReplication): a change of it is a change to write.

    @Override
    public void setPrincipal(Principal principal) {
        super.setPrincipal(principal);
        authChanged();
    }

    @Override
    public void setAuthType(String authType) {
        super.setAuthType(authType);
        authChanged();
    }

    @Override
    public void setNote(String name, Object value) {
        super.setNote(name, value);
        if (AuthReplication.isReplicatedNote(name)) {
            authChanged();
            if (value != null && AuthReplication.precedesLoginForward(name)) {
                clusterManager().writeBeforeLoginForward(this);
            }
        }
    }

    @Override
    public void removeNote(String name) {
        super.removeNote(name);
        if (AuthReplication.isReplicatedNote(name)) {
            authChanged();
        }
    }

    private void authChanged() {
        synchronized (marks) {
            authChanged = true;
        }
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        super.setMaxInactiveInterval(interval);
        synchronized (marks) {
            metadataChanged = true;
        }
    }

    @Override
    public void access() {
        super.access();
        requestsUsing.incrementAndGet();
        RequestScope scope = clusterManager().currentScope();
        if (scope != null) {
            scope.accessed(this);
        }
    }

    @Override
    public void endAccess() {
        super.endAccess();
        requestsUsing.updateAndGet(n -> Math.max(0, n - 1)); // never below zero, should Tomcat ever pair them oddly
    }

    boolean isInUse() {
        return requestsUsing.get() > 0;
    }

    /**
     * {@code invalidate()}, and an expiry asked by hand (Tomcat's manager application, JMX {@code expireSession}):
     * deletes the session from the store first (synchronously, in every write mode), then expires it here. An expiry
     * the store decided ({@link ExpiryProcessor}) calls {@code expire(true)} and deletes nothing: it was claimed.
     */
    @Override
    public void expire() {
        if (isValidInternal()) {
            clusterManager().deleteFromStore(this);
        }
        super.expire();
    }

    // ---------------------------------------------------------------- change marks

    /** A session created on this node: its first write creates it in the store. */
    void markCreated() {
        synchronized (marks) {
            created = true;
        }
    }

    /** Takes the change marks for one write; reads are handled by the caller. */
    SessionChanges takeChanges() {
        synchronized (marks) {
            if (!created && !metadataChanged && !authChanged && setNames.isEmpty() && removedNames.isEmpty()) {
                return SessionChanges.NONE;
            }
            SessionChanges taken = new SessionChanges(setNames, removedNames, created, metadataChanged, authChanged);
            setNames.clear();
            removedNames.clear();
            created = false;
            metadataChanged = false;
            authChanged = false;
            return taken;
        }
    }

    /** Takes the names read outside any request scope (background or foreign threads) since the last write. */
    Set<String> takeReadsOutsideRequest() {
        if (readsOutsideRequest.isEmpty()) {
            return Set.of();
        }
        Set<String> taken = new java.util.HashSet<>();
        for (String name : readsOutsideRequest) {
            readsOutsideRequest.remove(name);
            taken.add(name);
        }
        return taken;
    }

    /** Gives back marks of a write that failed; marks made since win over them. */
    void restoreChanges(SessionChanges failed) {
        fingerprintChanges.incrementAndGet();
        synchronized (marks) {
            for (String name : failed.set()) {
                if (!removedNames.contains(name)) {
                    setNames.add(name);
                }
                fingerprints.remove(name);
            }
            for (String name : failed.removed()) {
                if (!setNames.contains(name)) {
                    removedNames.add(name);
                }
            }
            created |= failed.created();
            metadataChanged |= failed.metadata();
            authChanged |= failed.auth();
        }
    }

    /** True while this node holds changes the store has not been sent (in async mode: not yet queued). */
    boolean hasUnsentChanges() {
        synchronized (marks) {
            return created || metadataChanged || authChanged || !setNames.isEmpty() || !removedNames.isEmpty();
        }
    }

    /**
     * True if {@link #takeChanges} would take nothing: no change marks and no reads outside a request. A mark made
     * right after this answer is simply taken by the session's next request, as one made after a take would be.
     */
    boolean hasNothingToTake() {
        return readsOutsideRequest.isEmpty() && !hasUnsentChanges();
    }

    boolean isUnstored() {
        synchronized (marks) {
            return created;
        }
    }

    Object attributeValue(String name) {
        return attributes.get(name);
    }

    Long fingerprint(String name) {
        return fingerprints.get(name);
    }

    void fingerprinted(Map<String, Long> encoded) {
        if (!encoded.isEmpty()) {
            fingerprintChanges.incrementAndGet();
            fingerprints.putAll(encoded);
        }
    }

    /**
     * Attributes read together whose graphs overlap (a cart pointing at its owner, the owner at the cart) are walked
     * once as one graph: if that joint fingerprint is the one recorded when each of them matched its stored
     * fingerprint, and their stored fingerprints are still those, none of them changed. A change of another
     * attribute leaves the record valid. {@link #fingerprintChanges} is taken before the walks: a record is not kept
     * if a fingerprint changed while they ran.
     */
    long fingerprintChanges() {
        return fingerprintChanges.get();
    }

    boolean readsStillVerified(List<String> names, long joint) {
        VerifiedReads verified = verifiedReads;
        if (verified == null || verified.joint != joint || !verified.names.equals(names)) {
            return false;
        }
        for (int i = 0; i < verified.fingerprints.length; i++) {
            Long stored = fingerprints.get(verified.names.get(i));
            if (stored == null || stored != verified.fingerprints[i]) {
                return false;
            }
        }
        return true;
    }

    /** Records a joint fingerprint and the stored fingerprints each name matched, unless one changed meanwhile. */
    void readsVerified(List<String> names, long joint, long[] matched, long changesBefore) {
        if (fingerprintChanges.get() == changesBefore) {
            verifiedReads = new VerifiedReads(names, joint, matched);
        }
    }

    private record VerifiedReads(List<String> names, long joint, long[] fingerprints) {
    }

    // ---------------------------------------------------------------- store state

    long storedVersion() {
        return storedVersion;
    }

    boolean isStale() {
        return stale;
    }

    /** Another node may have changed or ended the session: the next request reloads it from the store. */
    void markStale() {
        stale = true;
    }

    /** Records the version a write produced; a jump of more than one means another node wrote in between. */
    void written(long newVersion) {
        long known = storedVersion;
        if (known > 0 && newVersion > known + 1) {
            stale = true;
        }
        storedVersion = Math.max(known, newVersion);
    }

    /** Another node used the session: move the local access time forward so it is not taken for idle. */
    void accessedElsewhere(long lastAccessedTime) {
        if (lastAccessedTime > this.lastAccessedTime) {
            this.lastAccessedTime = lastAccessedTime;
        }
        if (lastAccessedTime > this.thisAccessedTime) {
            this.thisAccessedTime = lastAccessedTime;
        }
    }

    boolean isIdleExpired(long nowMillis) {
        int max = maxInactiveInterval;
        return max > 0 && nowMillis - thisAccessedTime >= max * 1000L;
    }

    /** Fills a session built by the manager from a stored record; fires nothing. */
    void loadFrom(SessionRecord record, Map<String, Object> values, Map<String, Long> encodedFingerprints,
                  AuthState auth) {
        this.creationTime = record.creationTime();
        this.lastAccessedTime = record.lastAccessedTime();
        this.thisAccessedTime = record.lastAccessedTime();
        this.maxInactiveInterval = record.maxInactiveSeconds();
        this.isNew = false;
        this.isValid = true;
        this.attributes.putAll(values);
        this.fingerprints.putAll(encodedFingerprints);
        this.fingerprintChanges.incrementAndGet();
        this.storedVersion = record.version();
        this.loadedAtNanos = System.nanoTime();
        restoreAuth(auth);
    }

    /** Puts stored (or kept) authentication state back without marking it as a change to write. */
    void restoreAuth(AuthState auth) {
        this.principal = auth.principal();
        this.authType = auth.authType();
        if (auth.sessionIdNote() != null) {
            notes.put(org.apache.catalina.authenticator.Constants.SESSION_ID_NOTE, auth.sessionIdNote());
        }
        if (auth.savedRequest() != null) {
            notes.put(org.apache.catalina.authenticator.Constants.FORM_REQUEST_NOTE, auth.savedRequest());
        }
    }

    /** Puts a note that never travels back on a fresh copy of this node, without marking a change. */
    void restoreNote(String name, Object value) {
        notes.put(name, value);
    }

    /** True if this copy was loaded from the store after {@code nanoTime}. */
    boolean loadedAfter(long nanoTime) {
        long loaded = loadedAtNanos;
        return loaded != 0 && loaded - nanoTime > 0;
    }

    /** Sets the id of a session that must not be registered with the manager (one that is about to expire). */
    void assignDetachedId(String id) {
        this.id = id;
    }

    /** The session is gone from the store (expired or invalidated elsewhere): drop it without any listener. */
    void discard() {
        this.isValid = false;
        synchronized (marks) {
            setNames.clear();
            removedNames.clear();
            created = false;
            metadataChanged = false;
            authChanged = false;
        }
    }
}
