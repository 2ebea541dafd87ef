package io.sessioncluster.tomcat;

/**
 * The kinds of {@link io.sessioncluster.core.store.SessionStore} call a manager makes, each measured on its own
 * ({@link OperationStatistics}). {@link #tag()} names it in Micrometer's {@code operation} tag, {@link #jmxName()}
 * starts its JMX attributes ({@code LoadCount}, {@code LoadP99Millis}, ...): see {@code docs/monitoring.md}.
 */
public enum StoreOperation {

    /** A session's record read whole: a miss, a stale copy, a failover. */
    LOAD("load", "Load"),
    /** The stored version compared with the local copy's ({@code sticky=false}; the health check's ping). */
    VERSION("version", "VersionCheck"),
    /** One change set written on its own: sync mode, or a write-behind entry written before its session is renamed. */
    WRITE("write", "Write"),
    /** A write-behind batch written in one round trip. */
    WRITE_ALL("writeAll", "BatchWrite"),
    /** A session's lock asked for ({@code locking=session}), again while another node holds it. */
    LOCK("lock", "Lock"),
    /** A held lock's lease renewed. */
    RENEW_LOCK("renewLock", "LockRenewal"),
    /** A lock released by a request that wrote nothing. */
    UNLOCK("unlock", "Unlock"),
    /** A batch of access times of read-only requests (about once a second). */
    TOUCH("touch", "Touch"),
    /** A session moved to a new id (login). */
    CHANGE_ID("changeId", "IdChange"),
    /** A session deleted ({@code invalidate()}). */
    DELETE("delete", "Delete"),
    /** One idle session's expiry decided by the store: claimed if expired. */
    CLAIM_IF_EXPIRED("claimIfExpired", "ExpiryClaim"),
    /** The periodic sweep: expired sessions claimed in bulk. */
    CLAIM_EXPIRED("claimExpired", "ExpirySweep"),
    /** The sessions of one principal looked up. */
    SESSIONS_OF("sessionsOf", "PrincipalLookup"),
    /** One page of the walk over every stored session. */
    PAGE("page", "Page"),
    /** The store's clock read (every 10 s), to translate access times. */
    STORE_TIME("storeTime", "ClockRead"),
    /** Other nodes told to drop their copy of a session this node took over. */
    ANNOUNCE_EVICTION("announceEviction", "EvictionNotice");

    private final String tag;
    private final String jmxName;

    StoreOperation(String tag, String jmxName) {
        this.tag = tag;
        this.jmxName = jmxName;
    }

    /** The Micrometer tag value: {@code load}, {@code writeAll}, ... */
    public String tag() {
        return tag;
    }

    /** The start of its JMX attribute names: {@code Load}, {@code BatchWrite}, ... */
    public String jmxName() {
        return jmxName;
    }
}
