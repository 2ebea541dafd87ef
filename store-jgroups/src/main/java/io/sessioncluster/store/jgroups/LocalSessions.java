package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The sessions this node holds (as owner or copy), their cluster-wide locks ({@link LockTable}) and the tombstones
 * of deleted ones. Every change of one session is one atomic {@code compute}; the owner additionally serializes its
 * writes per session with a lock (see {@link OwnerSide}), so copies receive changes in version order. A session's
 * lock state arrives with it (replication, state transfer) and is forgotten with it, in the same atomic step.
 *
 * <p>Tombstones: a deleted id is remembered for {@code tombstoneMillis}. A record that arrives by state transfer,
 * rebalancing or merge (not by the owner's own create) is ignored while its id has a tombstone, so a merge never
 * brings back a session that one side invalidated.
 *
 * <p>Indexes: the held ids in id order (the walk, {@link SessionWalk}) and by principal name ({@link PrincipalIndex}).
 * Every change of a record goes through {@link #update}, which moves both in the record's own atomic step, so neither
 * can drift from the records, whichever path changed them (write, replication, state transfer, rebalancing, delete,
 * expiry claim, rename). Readers check each id they find there against its record.
 */
final class LocalSessions {

    // A ConcurrentHashMap: its compute runs each function exactly once, atomically, which the side effects on the
    // lock table and the indexes rely on (a ConcurrentSkipListMap may run it again).
    private final Map<String, SessionRecord> records = new ConcurrentHashMap<>();
    private final NavigableSet<String> order = new ConcurrentSkipListSet<>();
    private final PrincipalIndex principals = new PrincipalIndex();
    private final Map<String, Long> tombstones = new ConcurrentHashMap<>(); // id -> expires at (epoch ms)
    private final long tombstoneMillis;
    private final LongSupplier clock;
    private final LockTable locks;

    LocalSessions(long tombstoneMillis, LongSupplier clock, LockTable locks) {
        this.tombstoneMillis = tombstoneMillis;
        this.clock = clock;
        this.locks = locks;
    }

    LockTable locks() {
        return locks;
    }

    Optional<SessionRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    Collection<SessionRecord> all() {
        return records.values();
    }

    int size() {
        return records.size();
    }

    /** The record after applying {@code c} to {@code current} (null for a create), at {@code version}. */
    static SessionRecord merged(SessionRecord current, ChangeSet c, long version) {
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        if (current != null) {
            attributes.putAll(current.attributes());
        }
        c.removedAttributes().forEach(attributes::remove);
        c.setAttributes().forEach((name, value) -> attributes.put(name, value.clone()));
        long creation = current == null ? c.creationTime() : current.creationTime();
        String principal = c.principal().changed() ? c.principal().name() : current == null ? null : current.principal();
        return new SessionRecord(c.id(), version, creation, c.lastAccessedTime(), c.maxInactiveSeconds(), attributes,
                principal);
    }

    /** The owner's write: stores {@code record} as the session's state and forgets any tombstone. */
    void put(SessionRecord record) {
        tombstones.remove(record.id());
        update(record.id(), (id, current) -> record);
    }

    /**
     * The one way a record changes: {@code change} maps the current record (null: none) to the next (null: none), in
     * the record's atomic step, and the id order and principal index follow in that same step.
     */
    private void update(String id, BiFunction<String, SessionRecord, SessionRecord> change) {
        records.compute(id, (k, before) -> {
            SessionRecord after = change.apply(k, before);
            if (after != before) {
                if (before == null) {
                    order.add(k);
                } else if (after == null) {
                    order.remove(k);
                }
                principals.move(k, before == null ? null : before.principal(), after == null ? null : after.principal());
            }
            return after;
        });
    }

    /** {@link #update} of a record that is here; nothing if it is not. */
    private void updateIfPresent(String id, BiFunction<String, SessionRecord, SessionRecord> change) {
        update(id, (k, before) -> before == null ? null : change.apply(k, before));
    }

    /**
     * A change replicated by the owner at {@code version}. Applied if this copy is at {@code version - 1}; already
     * applied if at {@code version} or later; otherwise this copy is missing or behind, and the owner must send the
     * whole record: returns false.
     */
    boolean applyDelta(ChangeSet c, long version, LockState lock) {
        if (c.created()) {
            // A late or repeated create must not roll back a copy that already moved on.
            tombstones.remove(c.id());
            SessionRecord created = merged(null, c, version);
            update(c.id(), (id, current) -> current != null && current.version() >= version ? current : created);
            return true;
        }
        boolean[] ok = {false};
        updateIfPresent(c.id(), (id, current) -> {
            if (current.version() >= version) {
                ok[0] = true;
                locks.fromOwner(id, lock);
                return current;
            }
            if (current.version() == version - 1) {
                ok[0] = true;
                locks.fromOwner(id, lock);
                return merged(current, c, version);
            }
            return current;
        });
        return ok[0];
    }

    /**
     * A whole record and its lock. From the owner ({@code authoritative}) it replaces what is here unless this copy
     * is newer (a late or repeated message), and clears a tombstone; from a state transfer or merge the newer version
     * wins (on a tie the later access), a tombstone wins over it, and the locks merge ({@link LockTable#merge}).
     */
    void applyFull(SessionRecord r, boolean authoritative, LockState lock) {
        if (authoritative) {
            tombstones.remove(r.id());
            update(r.id(), (id, current) -> {
                locks.fromOwner(id, lock);
                return current != null && current.version() > r.version() ? current : r;
            });
            return;
        }
        if (hasTombstone(r.id())) {
            return;
        }
        update(r.id(), (id, current) -> {
            locks.merge(id, lock);
            return current == null || newer(r, current) ? r : current;
        });
    }

    /**
     * The owner's lock state of a session held here, and the access time of an unlock (0: none). False if this
     * node does not hold the session: the owner sends the whole record.
     */
    boolean applyLock(String id, LockState lock, long accessedTime) {
        boolean[] held = {false};
        updateIfPresent(id, (k, r) -> {
            held[0] = true;
            locks.fromOwner(id, lock);
            return touched(r, accessedTime);
        });
        return held[0];
    }

    private static boolean newer(SessionRecord a, SessionRecord b) {
        return a.version() > b.version() || (a.version() == b.version() && a.lastAccessedTime() > b.lastAccessedTime());
    }

    /** Deletes and leaves a tombstone; returns what was held. Its lock ends with it. */
    Optional<SessionRecord> remove(String id) {
        tombstones.put(id, clock.getAsLong() + tombstoneMillis);
        return Optional.ofNullable(forget(id));
    }

    /** Forgets a copy this node no longer owns (rebalancing): no tombstone, the owners still hold it. */
    void drop(String id) {
        forget(id);
    }

    void tombstone(String id, long expiresAt) {
        tombstones.merge(id, expiresAt, Math::max);
        forget(id);
    }

    /** Removes the record and its lock state in one step (a concurrent {@link #applyLock} sees both or neither). */
    private SessionRecord forget(String id) {
        SessionRecord[] removed = new SessionRecord[1];
        updateIfPresent(id, (k, r) -> {
            removed[0] = r;
            locks.forget(id);
            return null;
        });
        if (removed[0] == null) {
            locks.forget(id); // a lock state that arrived before its record
        }
        return removed[0];
    }

    boolean hasTombstone(String id) {
        Long until = tombstones.get(id);
        return until != null && until > clock.getAsLong();
    }

    Map<String, Long> tombstones() {
        return tombstones;
    }

    /** Access time only; never creates, never moves time backwards, no version bump. */
    void touch(String id, long lastAccessedTime) {
        updateIfPresent(id, (k, r) -> touched(r, lastAccessedTime));
    }

    private static SessionRecord touched(SessionRecord r, long lastAccessedTime) {
        return r.lastAccessedTime() >= lastAccessedTime ? r
                : new SessionRecord(r.id(), r.version(), r.creationTime(), lastAccessedTime, r.maxInactiveSeconds(),
                r.attributes(), r.principal());
    }

    /**
     * The held sessions indexed under {@code name} that {@code include} accepts and that are not expired at
     * {@code nowMillis}: from the index, never a look at every session.
     */
    List<String> indexed(String name, long nowMillis, Predicate<String> include) {
        List<String> ids = new ArrayList<>();
        for (String id : principals.ids(name)) {
            SessionRecord r = records.get(id);
            if (r != null && name.equals(r.principal()) && !r.isExpiredAt(nowMillis) && include.test(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Up to {@code max} held sessions that {@code include} accepts, in id order after {@code after} (null: from the
     * first): a slice of the walk.
     */
    List<SessionSummary> inOrder(String after, int max, Predicate<String> include) {
        List<SessionSummary> slice = new ArrayList<>();
        for (String id : after == null ? order : order.tailSet(after, false)) {
            if (slice.size() >= max) {
                break;
            }
            SessionRecord r = records.get(id);
            if (r != null && include.test(id)) {
                slice.add(SessionSummary.of(r));
            }
        }
        return slice;
    }

    /** The ids indexed under {@code name} here, unchecked: for tests. */
    Set<String> indexedIds(String name) {
        return Set.copyOf(principals.ids(name));
    }

    /** How many names the index holds: for tests (it never outlives its sessions). */
    int indexedNames() {
        return principals.names();
    }

    /** How many ids the walk's order holds: for tests (it matches the records). */
    int orderedIds() {
        return order.size();
    }

    /** Ids of expired sessions that {@code mine} accepts, at most {@code limit}. */
    List<String> expired(long nowMillis, int limit, java.util.function.Predicate<String> mine) {
        List<String> ids = new ArrayList<>();
        for (SessionRecord r : records.values()) {
            if (ids.size() >= limit) {
                break;
            }
            if (r.isExpiredAt(nowMillis) && mine.test(r.id())) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    /** Drops tombstones past their time; called periodically. */
    void pruneTombstones() {
        long now = clock.getAsLong();
        tombstones.values().removeIf(until -> until <= now);
    }
}
