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
 * scored by the time (on its own node's clock) until which the session's hash may live, plus a margin. The session's
 * hash, field {@code #p}, is the truth; the set is kept a superset of it and {@code sessionsOf} checks each member
 * against its hash.
 *
 * <p>On Redis Cluster a session and its name's set live in different slots, so no script can change both: the set is
 * updated by commands of its own, sent on the same connection. Their order keeps the set a superset: a login's entry
 * goes out before the write's script ({@code GT}, so a refused write cannot shorten the entry of the session that is
 * there, and the entry is withdrawn if the stored session is not under that name); the entry of a name the session
 * left is removed only once its script answered which name that was. If a node dies between the two, the set holds a
 * member too many, which {@code sessionsOf} does not answer and which leaves at its own time. A member can only go
 * missing when two writes of one session change its name concurrently (without {@code locking}); the session's next
 * write or touch puts it back, since every one of them re-adds the entry with the TTL it gave the hash.
 */
final class PrincipalIndex {

    private static final System.Logger LOG = Loggers.of(PrincipalIndex.class);

    /**
     * How much longer than its session's hash an entry lives: a login's entry is written just before the hash (on
     * Cluster, by another node), so without it the set could expire a moment before its session.
     */
    static final long MARGIN_MILLIS = 1_000;

    private static final byte[] NONE = new byte[0];
    private static final byte[] RAISE = HashLayout.ascii("GT");

    private final HashLayout layout;

    PrincipalIndex(HashLayout layout) {
        this.layout = layout;
    }

    /** A login's entry, sent before the write's script; null unless the change set is a login. */
    CompletableFuture<Long> beforeWrite(RedisClusterAsyncCommands<byte[], byte[]> redis, ChangeSet changes,
                                        long ttlMillis) {
        byte[] name = WriteArgs.login(changes);
        return name == null ? null : update(redis, name, null, changes.id(), ttlMillis, true);
    }

    /**
     * What the script's reply asks of the index: the entry of the name the session left goes, the entry of the name it
     * kept follows the new TTL; a refused login withdraws its entry unless the stored session is under that name.
     */
    List<CompletableFuture<Long>> afterWrite(RedisClusterAsyncCommands<byte[], byte[]> redis, ChangeSet changes,
                                             long ttlMillis, WriteArgs.Reply reply) {
        List<CompletableFuture<Long>> updates = new ArrayList<>(2);
        String id = changes.id();
        if (reply.result().status() == WriteResult.Status.WRITTEN) {
            if (reply.left() != null) {
                updates.add(remove(redis, reply.left(), id));
            }
            if (reply.kept() != null) {
                updates.add(keep(redis, reply.kept(), id, ttlMillis));
            }
            return updates;
        }
        byte[] login = WriteArgs.login(changes);
        if (login != null && !Arrays.equals(login, reply.stored())) {
            updates.add(remove(redis, login, id));
        }
        return updates;
    }

    /** The session's entry follows its hash's new TTL ({@code 0}: none). */
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
