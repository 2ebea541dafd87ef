package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestHandler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A session store replicated between the nodes themselves over JGroups, no server needed. One store is one
 * cluster member (one {@link JChannel}).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Every session has a primary owner: the ready member that scores highest for its id (rendezvous hashing,
 *       see {@link Topology}). Every mutation (write, touch, changeId, delete, expiry claim) is sent to the owner,
 *       which decides under the session's lock, bumps the version, sends the change to the copies, waits for each
 *       of them to acknowledge, and only then answers. So versions grow by exactly one, concurrent writes from two
 *       nodes merge per attribute, and an answered write is on every copy.</li>
 *   <li>Copies: with {@code replication=all} every member; with {@code primary-backup} the next {@code backups}
 *       members in the id's ranking. A node reads its own copy if it has one (always, in mode all) and asks the
 *       owner otherwise.</li>
 *   <li>Joining: a new member first pulls, from every member, the sessions it will hold (state transfer), then
 *       announces itself ready; until every member acknowledged that, it owns nothing and answers no read from
 *       its own (incomplete) copy.</li>
 *   <li>View changes: in primary-backup the new primary of each session sends it to members that became owners,
 *       and members that are no longer owners drop their copy; a copy found behind on the next write receives the
 *       whole record before that write is acknowledged.</li>
 *   <li>Partition and merge (MERGE3): after a merge every member pulls the state of the others; for each session
 *       the higher version wins (on a tie, the later access time), and a tombstone (a deleted id, remembered for
 *       {@code tombstoneSeconds}) wins over any version, so a merge never resurrects an invalidated session: a
 *       session deleted (or expired) on one side and written on the other is gone on both after the merge, and a
 *       later write answers MISSING. Listeners are told {@link EvictionListener#missedEvictions()}.</li>
 *   <li>Expiry: a claim goes to the owner like any mutation, so exactly one caller wins each expired session. During
 *       a partition each side has its own owners, so the rule of {@link PartitionGuard} decides which side may
 *       claim: while a member of the last full view is absent (it left without a goodbye: crashed, or on the other
 *       side), a session expires only on the side that holds its primary in that last full view; on the other side
 *       its claim answers Gone and deletes nothing, and the merge brings the deciding side's outcome. Both sides
 *       decide alone from the same members, so a session expires at most once. A member absent for longer than
 *       {@code tombstoneSeconds} is taken for crashed (then this side expires its sessions too).</li>
 *   <li>Clock ({@link #storeTimeMillis}): the current view's coordinator's wall clock ({@link ClusterClock}), one
 *       clock for every node, which the nodes convert their times to; after a coordinator change their offsets
 *       follow within one measurement (10 s). Lock leases are not on it: they travel as time left and run on each
 *       member's monotonic clock.</li>
 *   <li>Locks ({@link SessionStore}'s "Locks"): the owner grants, renews and releases a session's lock under the
 *       same per-session lock as its writes, and by its own clock. It answers a grant only after every copy
 *       acknowledged the new token; lease and holder travel with it (and with every write, full record and state
 *       transfer), so a copy that becomes the owner honours the running lease and grants larger tokens, and a
 *       holder of the old owner's grant is fenced once a new grant exists. A holder that leaves the view (a crash)
 *       loses its locks at that view change, on every member. See {@link LockTable}.</li>
 *   <li>The user's sessions index ({@link #sessionsOf}) and the walk ({@link #page}): the principal name travels with
 *       the record wherever it goes, and every member indexes the sessions it holds by name and in id order, in the
 *       same step that changes a record ({@link LocalSessions}). A question goes to every member, which answers for
 *       the sessions it owns (the union is the answer), or in mode all is answered from this node's own copy. The
 *       walk is one id order over the cluster, not a walk per member, so sessions that move while it runs are still
 *       seen and members that come and go never make it loop. See {@link PrincipalLookup} and {@link SessionWalk}.</li>
 * </ul>
 *
 * <h2>Parts</h2>
 * This class is the {@link SessionStore} and the channel's receiver; the jobs are elsewhere: {@link Inbox} (which
 * part answers an incoming message), {@link Membership} (views, ready members, the {@link Topology}),
 * {@link OwnerRouter} (a request to the session's owner, again while it answers RETRY or leaves), {@link OwnerSide}
 * (the owner's decisions), {@link ReplicaSide} (a copy holder's),
 * {@link StateTransfer} and {@link Rebalancer} (joins and view changes), {@link ExpiryCandidates} (the sweep),
 * {@link LockRequests} (asking for a lock), {@link OwnerLocks} (the owner's lock decisions), {@link LockTable}
 * (every member's lock states), {@link ClusterClock} (the cluster's clock), {@link PartitionGuard} (which side of a
 * partition expires a session), {@link Evictions} (telling the other nodes to drop a copy), {@link PrincipalLookup}
 * (the user's sessions), {@link SessionWalk} (the walk), {@link EveryMember} (a question to every member, again
 * while members come and go) and {@link PrincipalIndex} (a member's index by name).
 *
 * <h2>Messages</h2>
 * Own binary format ({@link Wire}, kinds in {@link Kind}): a format byte, a kind byte, then the body. Messages
 * are checked before use; a malformed or oversized one is dropped with a rate-limited log line. An owner request
 * costs one round trip to the owner (none when this node is the owner: it is answered in this JVM); a change adds
 * one round from the owner to every copy, in parallel, before the answer. Locks: {@code LOCK}, {@code RENEW} and
 * {@code UNLOCK} go to the owner, which sends {@code REPL_LOCK} to the copies (not for a Held answer); a
 * {@code WRITE} carries its fence, and every change to the copies the session's lock state. {@code TIME} asks the
 * coordinator for its clock (one round trip; none on the coordinator). A joining member asks every member
 * {@code MEMBERS} (what it knows of a partition) before it announces {@code READY}; a closing member says
 * {@code LEAVING} to every member and waits up to 500 ms for their acknowledgements. {@code SESSIONS_OF} and
 * {@code PAGE} go to every member at once, one round (none in mode all). A record's principal name travels as the
 * optional last field of each message that carries the record, so messages without one are those of the previous
 * release ({@link Wire}). The whole protocol, with its round trips per operation, is in docs/stores/jgroups.md.
 */
final class JGroupsSessionStore implements SessionStore, RequestHandler, Receiver {

    private static final System.Logger LOG = Loggers.of(JGroupsSessionStore.class);

    private final String clusterName;
    private final String contextName;
    private final Replication replication;
    private final long timeoutMillis;
    private final int maxMessageBytes;
    private final JChannel channel;
    private final MessageDispatcher dispatcher;
    private final Messaging messaging;
    private final Replicas replicas;
    private final LocalSessions local;
    private final OwnerSide owner;
    private final StateTransfer state;
    private final Rebalancer rebalancer;
    private final ScheduledExecutorService background;
    private final RateLimitedLog warnings = new RateLimitedLog(60, TimeUnit.SECONDS);
    private final AtomicBoolean closed = new AtomicBoolean();

    private final Membership membership;
    private final OwnerRouter router;
    private final ExpiryCandidates expiry;
    private final ReplicaSide replica;
    private final OwnerLocks ownerLocks;
    private final LockRequests lockRequests;
    private final ClusterClock clock;
    private final PartitionGuard partitions;
    private final Evictions evictions;
    private final PrincipalLookup principals;
    private final SessionWalk walk;
    private final Inbox inbox;

    /** {@code wallClock}: this member's own clock, epoch ms (what it answers as coordinator; tests shift it). */
    JGroupsSessionStore(Function<String, JChannel> channels, String clusterName, Replication replication, int backups,
                        long timeoutMillis, long tombstoneMillis, int maxMessageBytes, String contextName,
                        LongSupplier wallClock) {
        this.clusterName = clusterName;
        this.contextName = contextName;
        this.replication = replication;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
        this.local = new LocalSessions(tombstoneMillis, wallClock, new LockTable(LockTable.MONOTONIC_MILLIS));
        this.channel = channels.apply(clusterName);
        this.dispatcher = new MessageDispatcher(channel, this);
        dispatcher.setReceiver(this);
        this.messaging = new Messaging(dispatcher);
        this.evictions = new Evictions(messaging, channel::address, contextName);
        this.membership = new Membership(channel, replication, backups);
        this.router = new OwnerRouter(membership::topology, messaging, this::answer, this::checkOpen, timeoutMillis,
                maxMessageBytes, clusterName);
        this.replicas = new Replicas(messaging, timeoutMillis, maxMessageBytes);
        this.replica = new ReplicaSide(local);
        this.partitions = new PartitionGuard(tombstoneMillis, LockTable.MONOTONIC_MILLIS, contextName);
        this.clock = new ClusterClock(channel::getView, channel::address, messaging, wallClock, timeoutMillis,
                maxMessageBytes);
        this.expiry = new ExpiryCandidates(local, messaging, replication, membership::topology, timeoutMillis,
                maxMessageBytes, partitions::mayExpire);
        this.owner = new OwnerSide(local, membership::topology, replicas, router::route, evictions::byOwner,
                timeoutMillis, partitions::mayExpire);
        this.ownerLocks = new OwnerLocks(owner, local, replicas, membership::topology);
        this.lockRequests = new LockRequests(router, this::touch);
        this.state = new StateTransfer(local, messaging, replication, timeoutMillis, maxMessageBytes,
                membership::memberReady);
        this.rebalancer = new Rebalancer(local, replicas, replication, membership::topology, closed::get,
                message -> warn("rebalance", "{0}: a session was not copied to a new backup (the next write will): {1}",
                        contextName, message));
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-cluster-jgroups " + contextName);
            t.setDaemon(true);
            return t;
        });
        EveryMember everyMember = new EveryMember(membership::topology, messaging, this::answer, this::checkOpen,
                timeoutMillis, maxMessageBytes);
        this.principals = new PrincipalLookup(local, membership::topology, everyMember, clock::now,
                this::holdsEverything, owner::syncing);
        this.walk = new SessionWalk(local, membership::topology, everyMember, this::holdsEverything, owner::syncing,
                maxMessageBytes);
        this.inbox = new Inbox(membership::topology, owner, ownerLocks, replica, evictions, state, membership, expiry,
                clock, partitions, principals, walk, member -> {
                    membership.memberReady(member);
                    background.execute(rebalancer::run);
                }, maxMessageBytes);
    }

    /** Joins the cluster and receives this node's state; returns once this node is a ready member. */
    JGroupsSessionStore start() {
        try {
            channel.connect(clusterName);
            membership.connected();
            List<Address> others = others(membership.topology().members());
            if (!others.isEmpty()) {
                state.pull(others);
                partitions.learnFrom(messaging, others, timeoutMillis, maxMessageBytes);
                messaging.callAll(others, new Wire.Out(Kind.READY).bytes(), timeoutMillis, "announce ready");
            }
            membership.selfReady();
            background.execute(rebalancer::start);
            background.scheduleWithFixedDelay(local::pruneTombstones, 60, 60, TimeUnit.SECONDS);
            LOG.log(System.Logger.Level.INFO, "{0}: joined JGroups cluster [{1}] as {2} with {3} members, replication {4}",
                    contextName, clusterName, channel.address(), membership.topology().members().size(), replication);
            return this;
        } catch (Exception e) {
            close();
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreUnavailableException("cannot join JGroups cluster [" + clusterName + "]: " + e.getMessage(), e);
        }
    }

    JChannel channel() {
        return channel;
    }

    /** Sessions held on this node, as owner or copy: for tests and figures. */
    int heldSessions() {
        return local.size();
    }

    LocalSessions local() {
        return local;
    }

    /** This node's picture of the cluster: for tests. */
    Topology topology() {
        return membership.topology();
    }

    // ---- SessionStore ----

    @Override
    public Optional<SessionRecord> load(String id) {
        Optional<SessionRecord> mine = ownCopy(id);
        if (mine != null) {
            return mine;
        }
        Wire.In in = router.call(id, new Wire.Out(Kind.GET).id(id).bytes(), Kind.R_RECORD);
        Optional<SessionRecord> r = in.bool() ? Optional.of(Wire.withPrincipal(in.record(), in.principalTail()))
                : Optional.empty();
        in.end();
        return r;
    }

    @Override
    public OptionalLong version(String id) {
        Optional<SessionRecord> mine = ownCopy(id);
        if (mine != null) {
            return mine.map(r -> OptionalLong.of(r.version())).orElse(OptionalLong.empty());
        }
        Wire.In in = router.call(id, new Wire.Out(Kind.VERSION).id(id).bytes(), Kind.R_VERSION);
        boolean present = in.bool();
        long v = in.i64();
        return present ? OptionalLong.of(v) : OptionalLong.empty();
    }

    /** Whether this node's own copies answer for the whole cluster: mode all, unless a merge's state is arriving. */
    private boolean holdsEverything() {
        return replication == Replication.ALL && !owner.syncing();
    }

    /** This node's copy if it is meant to hold one (null: ask the owner). */
    private Optional<SessionRecord> ownCopy(String id) {
        checkOpen();
        if (owner.syncing()) {
            return null; // after a merge, until the other side's state arrived: the owner answers (or says retry)
        }
        if (replication == Replication.ALL) {
            return local.get(id);
        }
        Optional<SessionRecord> r = local.get(id);
        Topology t = membership.topology();
        return r.isPresent() && t.isOwner(t.self(), id) ? r : null;
    }

    @Override
    public WriteResult write(ChangeSet changes, Fence fence) {
        byte[] body = new Wire.Out(Kind.WRITE).change(changes).fence(fence).principalChangeTail(changes.principal())
                .bytes();
        if (body.length > maxMessageBytes) {
            throw new StoreException("change set of session " + SessionIds.redact(changes.id()) + " is " + body.length
                    + " bytes, more than jgroupsMaxMessageBytes (" + maxMessageBytes + ")");
        }
        Wire.In in = router.call(changes.id(), body, Kind.R_WRITE);
        int status = in.i8();
        long version = in.i64();
        if (status >= WriteResult.Status.values().length) {
            throw new StoreException("malformed answer to a write of session " + SessionIds.redact(changes.id()));
        }
        return new WriteResult(WriteResult.Status.values()[status], version);
    }

    @Override
    public LockAttempt lock(String id, long leaseMillis) {
        return lockRequests.lock(id, leaseMillis);
    }

    @Override
    public boolean renewLock(String id, long token, long leaseMillis) {
        return lockRequests.renew(id, token, leaseMillis);
    }

    @Override
    public void unlock(String id, long token, Touch touch) {
        lockRequests.unlock(id, token, touch);
    }

    @Override
    public void touch(Collection<Touch> touches) {
        Topology t = membership.topology();
        Map<Address, List<Touch>> byOwner = new LinkedHashMap<>();
        for (Touch touch : touches) {
            Address primary = t.primary(touch.id());
            if (primary != null) {
                byOwner.computeIfAbsent(primary, a -> new ArrayList<>()).add(touch);
            }
        }
        for (Map.Entry<Address, List<Touch>> e : byOwner.entrySet()) {
            Wire.Out out = new Wire.Out(Kind.TOUCH).i32(e.getValue().size());
            e.getValue().forEach(touch -> out.id(touch.id()).i64(touch.lastAccessedTime()));
            try {
                if (e.getKey().equals(t.self())) {
                    answer(t.self(), out.bytes());
                } else {
                    messaging.call(e.getKey(), out.bytes(), timeoutMillis);
                }
            } catch (Exception ex) {
                warn("touch", "{0}: access times of {1} sessions not recorded (best effort): {2}", contextName,
                        e.getValue().size(), ex.toString());
            }
        }
    }

    @Override
    public boolean changeId(String oldId, String newId) {
        Wire.In in = router.call(oldId, new Wire.Out(Kind.CHANGE_ID).id(oldId).id(newId).bytes(), Kind.R_BOOL);
        return in.bool();
    }

    @Override
    public boolean delete(String id) {
        return router.call(id, new Wire.Out(Kind.DELETE).id(id).bytes(), Kind.R_BOOL).bool();
    }

    @Override
    public ExpiryClaim claimIfExpired(String id, long nowMillis) {
        Wire.In in = router.call(id, new Wire.Out(Kind.CLAIM).id(id).i64(nowMillis).bytes(), Kind.R_CLAIM);
        return switch (in.i8()) {
            case 0 -> ExpiryClaim.GONE;
            case 1 -> new ExpiryClaim.Alive(in.i64());
            case 2 -> new ExpiryClaim.Claimed(Wire.withPrincipal(in.record(), in.principalTail()));
            default -> throw new StoreException("malformed expiry answer for session " + SessionIds.redact(id));
        };
    }

    @Override
    public List<SessionRecord> claimExpired(long nowMillis, int limit) {
        int wanted = Math.max(limit, Math.min(limit * 4, ExpiryCandidates.MAX_PER_ANSWER));
        Set<String> candidates = expiry.find(nowMillis, wanted);
        List<SessionRecord> claimed = new ArrayList<>();
        for (String id : candidates) {
            if (claimed.size() >= limit) {
                break;
            }
            if (claimIfExpired(id, nowMillis) instanceof ExpiryClaim.Claimed c) {
                claimed.add(c.record());
            }
        }
        return claimed;
    }

    @Override
    public Set<String> sessionsOf(String principal) {
        checkOpen();
        return principals.sessionsOf(principal);
    }

    @Override
    public SessionPage page(String cursor, int limit) {
        checkOpen();
        return walk.page(cursor, limit);
    }

    @Override
    public void announceEviction(String id) {
        evictions.announce(id);
    }

    /** The coordinator's clock ({@link ClusterClock}): one clock for every node, whichever owns a session. */
    @Override
    public long storeTimeMillis() {
        checkOpen();
        return clock.now();
    }

    @Override
    public void subscribeEvictions(EvictionListener listener) {
        evictions.subscribe(listener);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (channel.isConnected()) {
            partitions.sayGoodbye(messaging, others(channel.getView().getMembers()), timeoutMillis);
        }
        background.shutdownNow();
        try {
            dispatcher.stop();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stopping the dispatcher", e);
        }
        channel.close();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- incoming ----

    @Override
    public Object handle(Message msg) {
        if (closed.get()) {
            return null;
        }
        byte[] body = msg.getArray();
        if (body != null && (msg.getOffset() != 0 || msg.getLength() != body.length)) {
            body = Arrays.copyOfRange(body, msg.getOffset(), msg.getOffset() + msg.getLength());
        }
        try {
            return answer(msg.getSrc(), body);
        } catch (Wire.Malformed e) {
            warn("malformed " + msg.getSrc(), "{0}: dropped a malformed message from {1}: {2}", contextName,
                    msg.getSrc(), e.getMessage());
            return null;
        }
    }

    private byte[] answer(Address src, byte[] body) {
        return inbox.answer(src, body);
    }

    // ---- membership and state ----

    @Override
    public void viewAccepted(View view) {
        boolean live = !closed.get() && channel.address() != null;
        if (live && view instanceof MergeView) {
            owner.syncing(true); // before the merged picture: no owner decides on a half-merged cluster
        }
        partitions.viewAccepted(view); // before the new owners: a side that just lost members counts them absent
        boolean merged = membership.viewAccepted(view);
        local.locks().releaseDeparted(view.getMembers()); // after the new topology: see OwnerLocks' grant
        if (!live) {
            return;
        }
        try {
            if (merged) {
                // A node that started alone (no answer within the join timeout) serves none of the others'
                // sessions until this moment: operators, and the end-to-end tests' readiness check, wait for it.
                LOG.log(System.Logger.Level.INFO, "{0}: merged partitions of JGroups cluster [{1}]: now {2} members",
                        contextName, clusterName, view.getMembers().size());
                background.execute(this::afterMerge);
            }
            background.execute(rebalancer::run);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void afterMerge() {
        try {
            state.pull(others(membership.topology().members()));
        } catch (StoreException e) {
            warn("merge", "{0}: state of a merged partition not fully received: {1}", contextName, e.getMessage());
        } finally {
            owner.syncing(false);
        }
        evictions.missed();
        LOG.log(System.Logger.Level.INFO, "{0}: merged partitions of cluster [{1}], now {2} members", contextName,
                clusterName, membership.topology().members().size());
    }

    // ---- helpers ----

    private List<Address> others(List<Address> all) {
        List<Address> others = new ArrayList<>(all);
        others.remove(channel.address());
        return others;
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreUnavailableException("JGroups store of " + contextName + " is closed", null);
        }
    }

    private void warn(String key, String format, Object... args) {
        long suppressed = warnings.permit(key);
        if (suppressed >= 0) {
            LOG.log(System.Logger.Level.WARNING, format + (suppressed > 0 ? " (" + suppressed + " more suppressed)" : ""),
                    args);
        }
    }
}
