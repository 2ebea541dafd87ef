package io.sessioncluster.store.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.EvictionListener;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SessionStore} on Redis (standalone, Sentinel or Cluster) through one Lettuce connection.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>One hash per session, key {@code <keyPrefix>s:<id>}, with fields {@code #v} version, {@code #c} creation
 *       time (epoch ms), {@code #a} last access time (epoch ms), {@code #m} max inactive interval (s), all as
 *       decimal text, and one field {@code a:<name>} per attribute holding its encoded bytes. The session's lock
 *       lives in the same hash: {@code #f} the latest grant's fencing token, {@code #lx} when its lease ends (Redis
 *       server time, epoch ms; absent when released). {@code #p}: the principal name the session is indexed under
 *       (UTF-8, a lone surrogate as its own three bytes: {@link PrincipalNames}), absent when none; a hash written
 *       before it existed loads with none. {@code #pe}, beside {@code #p}: until when the session's entry in its
 *       name's set was extended (by its own node's clock, epoch ms, or {@code inf}).</li>
 *   <li>The hash has a TTL of {@code maxInactive + ttlGraceSeconds}, renewed by every write and touch, so Redis
 *       frees abandoned sessions on its own; never-expiring sessions ({@code maxInactive <= 0}) have none. The
 *       grace period leaves the expiry sweeper time to claim a session and fire its listeners first.</li>
 *   <li>One sorted set {@code <keyPrefix>expirations}: session ids scored by expiry time (epoch ms). It is only a
 *       hint, a lower bound: touches do not update it, so the sweeper re-checks each candidate against the hash
 *       and re-scores those still alive. Never-expiring sessions are in it at {@code +inf}, where no sweep looks,
 *       so that {@link #page}'s walk over it sees every session ({@link SessionWalk}; those written before this
 *       rule join at their next write).</li>
 *   <li>One sorted set per principal name, {@code <keyPrefix>p:<lowercase hex of #p>}: the ids of the
 *       sessions indexed under it, each scored by the time (that Redis node's clock, epoch ms) until which its entry
 *       lives: extended ahead of its hash's TTL by about one timeout, plus a second; {@code +inf} if it never
 *       expires. The key expires with its longest-living member (none while one never expires), members whose time
 *       is up leave at the next update, and the last member's removal deletes it: the set outlives its sessions by
 *       at most a lead. See {@link PrincipalIndex}.</li>
 * </ul>
 *
 * <h2>Operations</h2>
 * Every script touches exactly one key, which keeps Redis Cluster working: a session hash, or one index (each index
 * lives in whatever slot its own name hashes to). Expiry index updates are pipelined with the script: sent on the
 * same connection without waiting for the script's reply, so they cost no extra round trip. A principal name's set is
 * updated by a script of its own: a login's entry before the write's script, pipelined; the entry of a name the
 * session left (a log-out), or of the name it kept once its extension is due (about once per timeout period of
 * activity, see {@link PrincipalIndex}), once the script answered which name that is: one more round trip, for those
 * writes and touches only. Every other write and touch of a logged-in session costs what an anonymous one does.
 * <ul>
 *   <li>{@code writeAll}: the write script and index update of every entry pipelined, then every reply awaited:
 *       one round trip for the batch.</li>
 *   <li>{@code write}: one script ({@link Scripts#WRITE}) checks existence ({@code MISSING} / {@code ALREADY_EXISTS}),
 *       bumps {@code #v}, sets metadata and attributes, deletes removed attributes and sets the TTL; plus
 *       {@code ZADD} (or {@code ZREM} for a never-expiring session) on the index; a create uses {@code ZADD NX},
 *       so that a create refused as {@code ALREADY_EXISTS} cannot raise the existing session's score. The last
 *       access time {@code #a} never moves backwards.</li>
 *   <li>{@code lock}: one script ({@link Scripts#LOCK}) reads {@code #v} and the lease by the server's clock
 *       ({@code TIME}) and grants ({@code HINCRBY #f}) or answers how long the lease has left: the lock costs no
 *       round trip beyond the version check it replaces. The write script checks the token and may release;
 *       {@code unlock} releases and touches in one script; {@code renewLock} extends the lease.</li>
 *   <li>{@code touch}: one small script per session, pipelined, that updates {@code #a} and the TTL of an existing
 *       hash only, and answers the session's name if its entry's extension came due; those entries are extended,
 *       pipelined: a second round trip only if one came due.</li>
 *   <li>{@code claimIfExpired}: one script decides by the hash's own {@code #a + #m} and, if expired, reads and
 *       deletes the hash in the same atomic step: exactly one caller receives it; then out of its name's set.</li>
 *   <li>{@code claimExpired}: {@code ZRANGEBYSCORE} for candidates, then the claim script for each; alive ones are
 *       re-scored, gone and claimed ones removed from the index, claimed ones from their names' sets.</li>
 *   <li>{@code changeId}: check the new key is absent; a script reads {@code DUMP} and {@code PTTL} of the old hash
 *       and deletes it atomically (the old id stops working at once); {@code RESTORE} creates the new hash with
 *       that TTL. Not {@code RENAME}: on Redis Cluster the two keys usually hash to different slots, where
 *       {@code RENAME} fails. The cost: if the connection breaks between the script and {@code RESTORE}, the
 *       session is lost (logged), the same outcome as the user's session expiring. The name's set swaps the old
 *       id for the new one in one script, sent before {@code RESTORE}, with the hash's TTL; the script drops
 *       {@code #pe} from the dump (another node's clock may read the new key), so the next write or touch extends.</li>
 *   <li>{@code delete}: {@code HGET #p}, {@code DEL} and {@code ZREM}, pipelined, then the name's entry goes;
 *       {@code version}: {@code HGET #v}; {@code load}: {@code HGETALL}. A hash whose metadata is missing or not
 *       numeric raises {@link StoreException}.</li>
 *   <li>{@code sessionsOf}: one script on the name's set tidies it and returns its members, then one script per
 *       member, pipelined, asks its hash whether it is that name's and not expired by its node's clock. No scan: the
 *       cost grows with the name's sessions only. A name {@link PrincipalChange#isIndexable} refuses costs
 *       nothing.</li>
 *   <li>{@code page}: one script reads the next {@code limit + 1} entries of the expiry index after the cursor's
 *       (score, member), then {@code HMGET} of the metadata fields of each, pipelined: two round trips a page.</li>
 * </ul>
 *
 * <h2>Evictions</h2>
 * Pub/sub channel {@code <keyPrefix>evictions}, message {@code <nodeId> <sessionId>} ({@code nodeId}: random per
 * store instance, so a node skips its own messages). {@code delete}, {@code changeId} (old id), won expiry claims
 * and {@link #announceEviction} publish, pipelined and never awaited; {@link #subscribeEvictions} listens on a
 * connection of its own. See {@link EvictionChannel}. Plain {@code PUBLISH}/{@code SUBSCRIBE}: no {@code CONFIG SET}
 * (keyspace notifications) needed, and on Redis Cluster a publish reaches subscribers on every node.
 *
 * <h2>Replication</h2>
 * With {@code redisWaitReplicas = n > 0}, {@code write}, {@code changeId} and {@code delete} send {@code WAIT n t}
 * after their last write command on the same connection: pipelined for {@code changeId} and {@code delete}, and
 * for {@code write} once its script answered, so that a script re-sent as {@code EVAL} after {@code NOSCRIPT} is
 * covered too (one more client round trip, small next to the replicas' own). {@code t} is well under what is left of the
 * operation's {@code redisTimeoutMillis} and never 0 (which would wait forever). Fewer than {@code n}
 * acknowledgements fail the operation with {@link StoreUnavailableException}: the change is applied on the master
 * but may be lost on a failover, so it is not acknowledged to the caller. While Redis blocks a {@code WAIT}, it
 * holds back the later commands of the connection, which all threads share: with replicas down, other operations
 * may wait up to {@code redisTimeoutMillis} too. Not with Redis Cluster (refused at start): Lettuce would send the
 * keyless {@code WAIT} to an arbitrary node.
 *
 * <h2>Failures</h2>
 * Each operation waits at most {@code redisTimeoutMillis} in total. While Redis cannot be reached every operation
 * fails fast with {@link StoreUnavailableException}; see {@link RedisConnector} for connecting and reconnecting.
 */
final class RedisSessionStore implements SessionStore {

    private static final System.Logger LOG = Loggers.of(RedisSessionStore.class);

    private final RedisConnector connector;
    private final HashLayout layout;
    private final PrincipalIndex principals;
    private final SessionWalk walk;
    private final long graceMillis;
    private final EvictionChannel evictions;
    /** {@code redisWaitReplicas}: 0 for no {@code WAIT}. */
    private final int waitReplicas;

    RedisSessionStore(RedisConnector connector, String keyPrefix, int ttlGraceSeconds) {
        this(connector, keyPrefix, ttlGraceSeconds, 0);
    }

    RedisSessionStore(RedisConnector connector, String keyPrefix, int ttlGraceSeconds, int waitReplicas) {
        this.connector = connector;
        this.waitReplicas = waitReplicas;
        this.layout = new HashLayout(keyPrefix);
        this.principals = new PrincipalIndex(layout);
        this.walk = new SessionWalk(layout, keyPrefix);
        this.graceMillis = ttlGraceSeconds * 1000L;
        this.evictions = new EvictionChannel(connector, keyPrefix);
    }

    @Override
    public Optional<SessionRecord> load(String id) {
        return execute("load", id, (call, redis) -> {
            Map<byte[], byte[]> hash = call.await(redis.hgetall(layout.sessionKey(id)));
            return hash.isEmpty() ? Optional.empty() : Optional.of(HashLayout.toRecord(id, hash.entrySet()));
        });
    }

    @Override
    public OptionalLong version(String id) {
        return execute("version", id, (call, redis) -> {
            byte[] version = call.await(redis.hget(layout.sessionKey(id), HashLayout.VERSION));
            return version == null ? OptionalLong.empty() : OptionalLong.of(HashLayout.number(id, "#v", version));
        });
    }

    @Override
    public WriteResult write(ChangeSet changes, Fence fence) {
        String id = changes.id();
        byte[][] args = WriteArgs.of(changes, fence, graceMillis);
        long ttl = WriteArgs.ttlMillis(changes, graceMillis);
        return execute("write", id, (call, redis) -> {
            PrincipalUpdates names = principals.updates();
            principals.beforeWrite(redis, changes, ttl, names);
            CompletableFuture<List<Object>> script = Scripts.WRITE.run(redis, layout.sessionKey(id), args);
            List<CompletableFuture<Long>> index = indexAfterWrite(redis, changes);
            WriteArgs.Reply reply = WriteArgs.reply(call.await(script));
            principals.afterWrite(redis, changes, reply, names);
            // WAIT goes out only once the script answered, not pipelined behind it: after a restart or a failover
            // the script cache is empty, the script is re-sent as EVAL (see LuaScript), and a WAIT sent earlier
            // would neither cover it nor leave it time to run before our deadline.
            CompletableFuture<Long> acks = replicate(call, redis);
            awaitIndex(call, index, EXPIRY_INDEX);
            names.await(call, redis);
            awaitReplicated(call, acks);
            return reply.result();
        });
    }

    /**
     * One pipeline: every entry's script and index update goes out before the first reply is awaited, so the batch
     * costs one round trip (plus one {@code WAIT}). An entry whose script fails on its own (a key of another type) is
     * {@code FAILED}; a session named twice is written entry by entry, because a script re-sent as {@code EVAL}
     * after {@code NOSCRIPT} could otherwise overtake the session's next entry.
     */
    @Override
    public List<WriteResult> writeAll(List<ChangeSet> changes) {
        if (changes.isEmpty()) {
            return List.of();
        }
        if (changes.stream().map(ChangeSet::id).distinct().count() < changes.size()) {
            return SessionStore.super.writeAll(changes);
        }
        return execute("writeAll", null, (call, redis) -> {
            List<CompletableFuture<List<Object>>> scripts = new ArrayList<>(changes.size());
            List<CompletableFuture<Long>> index = new ArrayList<>(changes.size());
            PrincipalUpdates names = principals.updates();
            for (ChangeSet c : changes) {
                principals.beforeWrite(redis, c, WriteArgs.ttlMillis(c, graceMillis), names);
                scripts.add(Scripts.WRITE.run(redis, layout.sessionKey(c.id()), WriteArgs.of(c, Fence.NONE, graceMillis)));
                index.addAll(indexAfterWrite(redis, c));
            }
            List<WriteResult> results = new ArrayList<>(changes.size());
            for (int i = 0; i < changes.size(); i++) {
                ChangeSet c = changes.get(i);
                try {
                    WriteArgs.Reply reply = WriteArgs.reply(call.about(c.id()).await(scripts.get(i)));
                    results.add(reply.result());
                    principals.afterWrite(redis, c, reply, names);
                } catch (StoreUnavailableException e) {
                    throw e;
                } catch (StoreException e) {
                    results.add(WriteResult.failed(e.getMessage()));
                }
            }
            CompletableFuture<Long> acks = replicate(call, redis);
            awaitIndex(call, index, EXPIRY_INDEX);
            names.await(call, redis);
            awaitReplicated(call, acks);
            return results;
        });
    }

    /**
     * The index update sent with a write, before its outcome is known. An update that turns out {@code MISSING}
     * leaves an entry without a session, which the next sweep drops. A create uses {@code ZADD NX}: should it turn
     * out {@code ALREADY_EXISTS}, the existing session's score stays, so the index remains a lower bound.
     */
    private List<CompletableFuture<Long>> indexAfterWrite(RedisClusterAsyncCommands<byte[], byte[]> redis, ChangeSet changes) {
        long expiresAt = SessionRecord.expiresAt(changes.lastAccessedTime(), changes.maxInactiveSeconds());
        if (!changes.created()) {
            return List.of(score(redis, changes.id(), expiresAt));
        }
        return List.of(redis.zadd(layout.indexKey(), ZAddArgs.Builder.nx(), indexScore(expiresAt),
                HashLayout.ascii(changes.id())).toCompletableFuture());
    }

    private static void addIfSent(List<CompletableFuture<Long>> updates, CompletableFuture<Long> update) {
        if (update != null) {
            updates.add(update);
        }
    }

    @Override
    public long storeTimeMillis() {
        return execute("time", null, (call, redis) -> {
            List<byte[]> time = call.await(redis.time());
            try {
                return Long.parseLong(new String(time.get(0), StandardCharsets.US_ASCII)) * 1000
                        + Long.parseLong(new String(time.get(1), StandardCharsets.US_ASCII)) / 1000;
            } catch (RuntimeException e) {
                throw new StoreException("Redis answered TIME with something that is not a time", e);
            }
        });
    }

    @Override
    public LockAttempt lock(String id, long leaseMillis) {
        SessionStore.requirePositiveLease(leaseMillis);
        return execute("lock", id, (call, redis) -> {
            List<Object> reply = call.await(Scripts.LOCK.<List<Object>>run(redis, layout.sessionKey(id),
                    HashLayout.ascii(leaseMillis)));
            long code = (Long) reply.get(0);
            if (code == 0) {
                return LockAttempt.MISSING;
            }
            if (code == 2) {
                return new LockAttempt.Held(Math.max(1, (Long) reply.get(1)));
            }
            if (code == 1) {
                return new LockAttempt.Granted((Long) reply.get(1), HashLayout.number(id, "#v", (byte[]) reply.get(2)));
            }
            throw HashLayout.corrupt(id, "the version #v or the lock's lease #lx is not numeric");
        });
    }

    @Override
    public boolean renewLock(String id, long token, long leaseMillis) {
        SessionStore.requirePositiveLease(leaseMillis);
        return execute("renewLock", id, (call, redis) -> call.await(Scripts.RENEW.<Long>run(redis, layout.sessionKey(id),
                HashLayout.ascii(token), HashLayout.ascii(leaseMillis))) == 1L);
    }

    @Override
    public void unlock(String id, long token, Touch touch) {
        execute("unlock", id, (call, redis) -> {
            List<Object> touched = call.await(Scripts.UNLOCK.<List<Object>>run(redis, layout.sessionKey(id),
                    HashLayout.ascii(token), HashLayout.ascii(touch == null ? -1 : touch.lastAccessedTime()),
                    HashLayout.ascii(graceMillis)));
            PrincipalUpdates names = principals.updates();
            principals.afterTouch(redis, id, touched, names);
            names.await(call, redis);
            return null;
        });
    }

    @Override
    public void touch(Collection<Touch> touches) {
        if (touches.isEmpty()) {
            return;
        }
        execute("touch", null, (call, redis) -> {
            List<String> ids = new ArrayList<>(touches.size());
            List<CompletableFuture<List<Object>>> replies = new ArrayList<>(touches.size());
            for (Touch touch : touches) {
                ids.add(touch.id());
                replies.add(Scripts.TOUCH.run(redis, layout.sessionKey(touch.id()),
                        HashLayout.ascii(touch.lastAccessedTime()), HashLayout.ascii(graceMillis)));
            }
            PrincipalUpdates names = principals.updates();
            for (int i = 0; i < replies.size(); i++) {
                principals.afterTouch(redis, ids.get(i), call.await(replies.get(i)), names);
            }
            // The extensions that came due, all sent before the first is awaited: a second round trip only if any
            // did, about once per timeout period of a session's activity.
            names.await(call, redis);
            return null;
        });
    }

    @Override
    public boolean changeId(String oldId, String newId) {
        return execute("changeId", oldId, (call, redis) -> {
            byte[] newKey = layout.sessionKey(newId);
            if (call.await(redis.exists(newKey)) > 0) {
                return false;
            }
            List<Object> taken = call.await(Scripts.TAKE.<List<Object>>run(redis, layout.sessionKey(oldId)));
            if (taken == null || taken.size() < 2 || !(taken.get(0) instanceof byte[])) { // nil: no such session
                return false;
            }
            byte[] dump = (byte[]) taken.get(0);
            long pttl = (Long) taken.get(1);
            RestoreArgs ttl = RestoreArgs.Builder.ttl(Math.max(0, pttl));
            byte[] name = taken.size() >= 5 && taken.get(4) instanceof byte[] p ? p : null;
            List<CompletableFuture<Long>> names = new ArrayList<>(1);
            if (name != null) { // before RESTORE: the new id is in the name's set by the time it exists
                names.add(principals.move(redis, name, oldId, newId, Math.max(0, pttl)));
            }
            try {
                call.await(redis.restore(newKey, dump, ttl));
            } catch (StoreException e) {
                if (!(e instanceof StoreUnavailableException) && String.valueOf(e.getMessage()).contains("BUSYKEY")) {
                    // Someone created the new id between our check and now: put the session back where it was. The
                    // new id's entry stays: the name's set may rightly hold it for the session that took the id.
                    call.await(redis.restore(layout.sessionKey(oldId), dump, ttl));
                    if (name != null) {
                        names.add(principals.keep(redis, name, oldId, Math.max(0, pttl)));
                    }
                    awaitIndex(call, names, PRINCIPAL_INDEX);
                    awaitReplicated(call, replicate(call, redis));
                    return false;
                }
                LOG.log(Level.ERROR, "changeId lost session {0}: it was taken from its old id but could not be"
                        + " written under the new one ({1})", SessionIds.redact(oldId), e.getMessage());
                throw e;
            }
            evictions.publish(redis, oldId);
            List<CompletableFuture<Long>> index = new ArrayList<>(2);
            index.add(redis.zrem(layout.indexKey(), HashLayout.ascii(oldId)).toCompletableFuture());
            if (taken.size() >= 4 && taken.get(2) instanceof byte[] a && taken.get(3) instanceof byte[] m) {
                index.add(score(redis, newId, SessionRecord.expiresAt(HashLayout.number(newId, "#a", a),
                        (int) HashLayout.number(newId, "#m", m))));
            }
            CompletableFuture<Long> acks = replicate(call, redis);
            awaitIndex(call, index, EXPIRY_INDEX);
            awaitIndex(call, names, PRINCIPAL_INDEX);
            awaitReplicated(call, acks);
            return true;
        });
    }

    @Override
    public boolean delete(String id) {
        return execute("delete", id, (call, redis) -> {
            byte[] key = layout.sessionKey(id);
            // Plain commands, not a script, so WAIT may be pipelined behind them (see write). The name read just
            // before DEL: a login in between would leave only an entry too many, which the name's set drops in time.
            CompletableFuture<byte[]> name = redis.hget(key, HashLayout.PRINCIPAL).toCompletableFuture();
            CompletableFuture<Long> deleted = redis.del(key).toCompletableFuture();
            CompletableFuture<Long> index = redis.zrem(layout.indexKey(), HashLayout.ascii(id)).toCompletableFuture();
            // Published whether or not the session was there: a copy elsewhere of a session that is gone is stale.
            evictions.publish(redis, id);
            CompletableFuture<Long> acks = replicate(call, redis);
            boolean result = call.await(deleted) > 0;
            List<CompletableFuture<Long>> names = new ArrayList<>(1);
            byte[] principal = nameOrNull(call, name);
            if (result && principal != null) {
                names.add(principals.remove(redis, principal, id));
            }
            awaitIndex(call, List.of(index), EXPIRY_INDEX);
            awaitIndex(call, names, PRINCIPAL_INDEX);
            awaitReplicated(call, acks);
            return result;
        });
    }

    @Override
    public ExpiryClaim claimIfExpired(String id, long nowMillis) {
        return execute("claimIfExpired", id, (call, redis) -> {
            ExpiryClaim claim = decodeClaim(id, call.await(claim(redis, id, nowMillis)));
            if (claim instanceof ExpiryClaim.Claimed claimed) {
                evictions.publish(redis, id);
                CompletableFuture<Long> index = unscore(redis, HashLayout.ascii(id));
                List<CompletableFuture<Long>> names = new ArrayList<>(1);
                addIfSent(names, unindexPrincipal(redis, claimed.record()));
                awaitIndex(call, List.of(index), EXPIRY_INDEX);
                awaitIndex(call, names, PRINCIPAL_INDEX);
            }
            return claim;
        });
    }

    @Override
    public List<SessionRecord> claimExpired(long nowMillis, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return execute("claimExpired", null, (call, redis) -> {
            List<byte[]> candidates = call.await(redis.zrangebyscore(layout.indexKey(),
                    Range.from(Range.Boundary.unbounded(), Range.Boundary.including(nowMillis)), Limit.create(0, limit)));
            return new ExpirySweep(this, call, redis, nowMillis).claim(candidates);
        });
    }

    @Override
    public Set<String> sessionsOf(String principal) {
        if (!PrincipalChange.isIndexable(principal)) {
            return Set.of(); // no key is ever built from such a name
        }
        byte[] name = PrincipalNames.encode(principal);
        return execute("sessionsOf", null, (call, redis) -> principals.sessionsOf(call, redis, name));
    }

    @Override
    public SessionPage page(String cursor, int limit) {
        SessionStore.requirePageLimit(limit);
        PageCursor from = walk.cursor(cursor); // outside execute: a bad cursor is the caller's mistake
        return execute("page", null, (call, redis) -> walk.page(call, redis, from, limit));
    }

    @Override
    public void announceEviction(String id) {
        try {
            evictions.publish(new RedisCall(connector, "announceEviction", id).redis(), id);
        } catch (RuntimeException e) {
            evictions.publishFailed(e); // best effort: never fails the caller
        }
    }

    @Override
    public void subscribeEvictions(EvictionListener listener) {
        evictions.subscribe(listener);
    }

    @Override
    public void close() {
        evictions.close(); // before the connector, which shuts the client down
        connector.close();
    }

    // ---- shared with ExpirySweep

    void claimed(RedisClusterAsyncCommands<byte[], byte[]> redis, String id) {
        evictions.publish(redis, id);
    }

    CompletableFuture<List<Object>> claim(RedisClusterAsyncCommands<byte[], byte[]> redis, String id, long nowMillis) {
        return Scripts.CLAIM.run(redis, layout.sessionKey(id), HashLayout.ascii(nowMillis));
    }

    /** Puts the session in the index at its expiry time ({@code +inf} if it never expires: only the walk sees it). */
    CompletableFuture<Long> score(RedisClusterAsyncCommands<byte[], byte[]> redis, String id, long expiresAt) {
        return redis.zadd(layout.indexKey(), indexScore(expiresAt), HashLayout.ascii(id)).toCompletableFuture();
    }

    private static double indexScore(long expiresAt) {
        return expiresAt == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : (double) expiresAt;
    }

    /** Takes a session that ended (claimed as expired) out of its name's set; null if it had no name. */
    CompletableFuture<Long> unindexPrincipal(RedisClusterAsyncCommands<byte[], byte[]> redis, SessionRecord record) {
        return record.principal() == null ? null
                : principals.remove(redis, PrincipalNames.encode(record.principal()), record.id());
    }

    CompletableFuture<Long> unscore(RedisClusterAsyncCommands<byte[], byte[]> redis, byte[] member) {
        return redis.zrem(layout.indexKey(), member).toCompletableFuture();
    }

    /** Decodes the reply of {@link Scripts#CLAIM}. */
    static ExpiryClaim decodeClaim(String id, List<Object> reply) {
        long code = (Long) reply.get(0);
        if (code == 0) {
            return ExpiryClaim.GONE;
        }
        if (code == 1) {
            long accessed = HashLayout.number(id, "#a", (byte[]) reply.get(1));
            long maxInactive = HashLayout.number(id, "#m", (byte[]) reply.get(2));
            return new ExpiryClaim.Alive(SessionRecord.expiresAt(accessed, (int) maxInactive));
        }
        if (code == 2) {
            List<?> flat = (List<?>) reply.get(1);
            List<Map.Entry<byte[], byte[]>> fields = new ArrayList<>(flat.size() / 2);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                fields.add(new AbstractMap.SimpleImmutableEntry<>((byte[]) flat.get(i), (byte[]) flat.get(i + 1)));
            }
            return new ExpiryClaim.Claimed(HashLayout.toRecord(id, fields));
        }
        throw HashLayout.corrupt(id, "metadata fields are missing or not numeric");
    }

    static final String EXPIRY_INDEX = "expiry index";
    static final String PRINCIPAL_INDEX = "principal index";

    /**
     * Waits for index updates. A failure is logged rather than thrown: the session operation itself succeeded. The
     * expiry index is only a hint, and the hash's TTL frees the data even if the sweeper never sees it; a name's set
     * keeps too many members rather than too few (see {@link PrincipalIndex}), and the session's next write or touch
     * re-adds a missing one. The log line names neither the principal nor the full session id.
     */
    static void awaitIndex(RedisCall call, List<CompletableFuture<Long>> updates, String which) {
        for (CompletableFuture<Long> update : updates) {
            try {
                call.await(update);
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "{0}: {1} not updated: {2}", call.describe(), which, e.getMessage());
            }
        }
    }

    /** The {@code #p} a pipelined {@code HGET} read; null for none, or if it failed (a key of another type). */
    private static byte[] nameOrNull(RedisCall call, CompletableFuture<byte[]> name) {
        try {
            return call.await(name);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (StoreException e) {
            return null;
        }
    }

    /**
     * Sends {@code WAIT} after the operation's write commands, without waiting for its reply; null when
     * {@code redisWaitReplicas} is 0.
     */
    private CompletableFuture<Long> replicate(RedisCall call, RedisClusterAsyncCommands<byte[], byte[]> redis) {
        if (waitReplicas == 0) {
            return null;
        }
        long remaining = TimeUnit.NANOSECONDS.toMillis(call.remainingNanos());
        // Never 0 (WAIT 0 waits forever), and well under our own deadline so that Redis's answer (fewer
        // acknowledgements) arrives before the client gives up on it, even on a busy machine: a reply that misses
        // the deadline would leave the connection's next command queued behind it.
        long waitMillis = Math.max(1, remaining - Math.max(remaining / 4, 200));
        return redis.waitForReplication(waitReplicas, waitMillis).toCompletableFuture();
    }

    /** Fails the operation as unavailable if fewer than {@code redisWaitReplicas} replicas acknowledged it. */
    private void awaitReplicated(RedisCall call, CompletableFuture<Long> acks) {
        if (acks == null) {
            return;
        }
        long acknowledged = call.await(acks);
        if (acknowledged < waitReplicas) {
            throw connector.unavailable(new StoreUnavailableException(call.describe() + ": only " + acknowledged
                    + " of " + waitReplicas + " replicas (redisWaitReplicas) of Redis at " + connector.describe()
                    + " acknowledged the change within " + connector.timeout().toMillis()
                    + " ms; it is on the master but a failover could lose it", null));
        }
    }

    static String idOf(byte[] member) {
        return new String(member, StandardCharsets.US_ASCII);
    }

    private <T> T execute(String operation, String id, Operation<T> body) {
        RedisCall call = new RedisCall(connector, operation, id);
        try {
            T result = body.run(call, call.redis());
            connector.succeeded();
            return result;
        } catch (RuntimeException e) {
            throw call.failure(e);
        }
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run(RedisCall call, RedisClusterAsyncCommands<byte[], byte[]> redis);
    }

    @Override
    public String toString() {
        return "RedisSessionStore[" + connector.describe() + "]";
    }
}
