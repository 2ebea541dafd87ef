package io.sessioncluster.store.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The user's sessions index: per principal name, a sorted set of session ids ({@link HashLayout#principalKey}), each
 * scored by the time (on its own node's clock) until which the session's entry lives. The session's hash, field
 * {@code #p}, is the truth; the set is kept a superset of it and {@code sessionsOf} checks each member against its
 * hash.
 *
 * <p>On Redis Cluster a session and its name's set live in different slots, so no script can change both: the set is
 * updated by commands of its own, sent on the same connection. Their order keeps the set a superset: a login's entry
 * goes out before the write's script ({@code GT}, so a refused write cannot shorten the entry of the session that is
 * there, and the entry is withdrawn if the stored session is not under that name); the entry of a name the session
 * left is removed only once its script answered which name that was. If a node dies between the two, the set holds a
 * member too many, which {@code sessionsOf} does not answer and which leaves at its own time. A member can only go
 * missing when two writes of one session change its name concurrently (without {@code locking}).
 *
 * <p>The hot path: an entry is extended ahead of its session, by the session's TTL plus a lead of one timeout
 * ({@link #leadMillis}), and the hash records until when ({@code #pe}, on the hash's node's clock). A write or touch
 * reaches the name's set only when the session's new TTL passes that time ({@link Scripts#WRITE}, {@link
 * Scripts#TOUCH} answer the name then): about once per timeout period of activity, not once per request. A failed
 * extension clears {@code #pe} ({@link PrincipalUpdates}), so the session's next write or touch extends again.
 */
final class PrincipalIndex {

    private static final System.Logger LOG = Loggers.of(PrincipalIndex.class);

    /**
     * How much longer than its extension an entry lives: a login's entry is written beside the hash (on Cluster, by
     * another node), and {@code #pe} is read by the hash's node's clock, so without it the set could expire a moment
     * before its session.
     */
    static final long MARGIN_MILLIS = 1_000;

    /**
     * The least lead: sessions with a timeout shorter than this still extend their entry at most about once in it. It
     * also bounds how long a set outlives sessions that no node claimed (every node down): lead plus margin.
     */
    static final long MIN_LEAD_MILLIS = 10_000;

    private static final byte[] NONE = new byte[0];
    private static final byte[] RAISE = HashLayout.ascii("GT");

    private final HashLayout layout;

    PrincipalIndex(HashLayout layout) {
        this.layout = layout;
    }

    /** How far ahead of its session's TTL an entry is extended: one timeout, at least {@link #MIN_LEAD_MILLIS}. */
    static long leadMillis(int maxInactiveSeconds) {
        return Math.max(maxInactiveSeconds * 1000L, MIN_LEAD_MILLIS);
    }

    PrincipalUpdates updates() {
        return new PrincipalUpdates(layout);
    }

    /** A login's entry, extended ahead, sent before the write's script; nothing unless the change set is a login. */
    void beforeWrite(RedisClusterAsyncCommands<byte[], byte[]> redis, ChangeSet changes, long ttlMillis,
                     PrincipalUpdates updates) {
        byte[] name = WriteArgs.login(changes);
        if (name != null) {
            long extension = ttlMillis <= 0 ? 0 : ttlMillis + leadMillis(changes.maxInactiveSeconds());
            updates.extension(changes.id(), update(redis, name, null, changes.id(), extension, true));
        }
    }

    /**
     * What the script's reply asks of the index: the entry of the name the session left goes, the entry of the name it
     * kept is extended if due; a refused login withdraws its entry unless the stored session is under that name.
     */
    void afterWrite(RedisClusterAsyncCommands<byte[], byte[]> redis, ChangeSet changes, WriteArgs.Reply reply,
                    PrincipalUpdates updates) {
        String id = changes.id();
        if (reply.result().status() == WriteResult.Status.WRITTEN) {
            if (reply.left() != null) {
                updates.other(remove(redis, reply.left(), id));
            }
            if (reply.extend() != null) {
                updates.extension(id, keep(redis, reply.extend(), id, reply.extensionMillis()));
            }
            return;
        }
        byte[] login = WriteArgs.login(changes);
        if (login != null && !Arrays.equals(login, reply.stored())) {
            updates.other(remove(redis, login, id));
        }
    }

    /** A touch's reply ({@link Scripts#TOUCH}, {@link Scripts#UNLOCK}): the entry is extended if it said so. */
    void afterTouch(RedisClusterAsyncCommands<byte[], byte[]> redis, String id, List<Object> touched,
                    PrincipalUpdates updates) {
        if (touched.size() >= 3 && touched.get(1) instanceof Long extension && touched.get(2) instanceof byte[] name) {
            updates.extension(id, keep(redis, name, id, extension));
        }
    }

    /** The session's entry lives {@code ttlMillis} from now ({@code 0}: it never expires). */
    CompletableFuture<Long> keep(RedisClusterAsyncCommands<byte[], byte[]> redis, byte[] name, String id,
                                 long ttlMillis) {
        return update(redis, name, null, id, ttlMillis, false);
    }

    CompletableFuture<Long> remove(RedisClusterAsyncCommands<byte[], byte[]> redis, byte[] name, String id) {
        return update(redis, name, id, null, 0, false);
    }

    /** {@code changeId}: the new id takes the old one's place, in one step on the name's set. */
    CompletableFuture<Long> move(RedisClusterAsyncCommands<byte[], byte[]> redis, byte[] name, String oldId,
                                 String newId, long ttlMillis) {
        return update(redis, name, oldId, newId, ttlMillis, false);
    }

    private CompletableFuture<Long> update(RedisClusterAsyncCommands<byte[], byte[]> redis, byte[] name, String removed,
                                           String added, long ttlMillis, boolean onlyRaise) {
        return Scripts.INDEX.run(redis, layout.principalKey(name),
                removed == null ? NONE : HashLayout.ascii(removed),
                added == null ? NONE : HashLayout.ascii(added),
                HashLayout.ascii(ttlMillis <= 0 ? 0 : ttlMillis + MARGIN_MILLIS),
                onlyRaise ? RAISE : NONE);
    }

    /**
     * The members of the name's set whose hash says they are the name's and not expired by its node's clock. The set
     * is tidied first (members whose time is up leave, its TTL follows its longest member). A member whose check fails
     * on its own (a key of another type) is left out and logged; a node that cannot answer fails the whole call, since
     * an answer missing sessions would be taken for complete.
     */
    Set<String> sessionsOf(RedisCall call, RedisClusterAsyncCommands<byte[], byte[]> redis, byte[] name) {
        List<Object> members = call.await(Scripts.MEMBERS.<List<Object>>run(redis, layout.principalKey(name)));
        List<String> ids = new ArrayList<>(members.size());
        List<CompletableFuture<Long>> checks = new ArrayList<>(members.size());
        for (Object member : members) {
            String id = RedisSessionStore.idOf((byte[]) member);
            if (SessionIds.isWellFormed(id)) { // anything else was never written by a store
                ids.add(id);
                checks.add(Scripts.IS_OF.run(redis, layout.sessionKey(id), name));
            }
        }
        Set<String> sessions = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            try {
                if (call.about(id).await(checks.get(i)) == 1L) {
                    sessions.add(id);
                }
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "sessionsOf left out session {0}: {1}", SessionIds.redact(id), e.getMessage());
            }
        }
        return Collections.unmodifiableSet(sessions);
    }
}
