package io.sessioncluster.store.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code claimExpired} pass over the candidates the expiry index named: claims them all (pipelined), then
 * fixes the index and takes the claimed sessions out of their principal names' sets. Claimed sessions are already
 * deleted in Redis, so once one is claimed it must reach the caller: a failure after that point is logged and the
 * pass returns what it has, rather than throwing records away.
 */
final class ExpirySweep {

    private static final System.Logger LOG = Loggers.of(ExpirySweep.class);

    private final RedisSessionStore store;
    private final RedisCall call;
    private final RedisClusterAsyncCommands<byte[], byte[]> redis;
    private final long nowMillis;

    ExpirySweep(RedisSessionStore store, RedisCall call, RedisClusterAsyncCommands<byte[], byte[]> redis, long nowMillis) {
        this.store = store;
        this.call = call;
        this.redis = redis;
        this.nowMillis = nowMillis;
    }

    List<SessionRecord> claim(List<byte[]> candidates) {
        List<String> ids = new ArrayList<>(candidates.size());
        List<CompletableFuture<List<Object>>> replies = new ArrayList<>(candidates.size());
        List<CompletableFuture<Long>> indexUpdates = new ArrayList<>();
        List<CompletableFuture<Long>> principalUpdates = new ArrayList<>();
        for (byte[] member : candidates) {
            String id = RedisSessionStore.idOf(member);
            if (!SessionIds.isWellFormed(id)) {
                indexUpdates.add(store.unscore(redis, member)); // not ours: no session key was ever written for it
                continue;
            }
            ids.add(id);
            replies.add(store.claim(redis, id, nowMillis));
        }
        List<SessionRecord> claimed = new ArrayList<>();
        StoreException unavailable = null;
        String unavailableId = null;
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            ExpiryClaim claim;
            try {
                claim = RedisSessionStore.decodeClaim(id, call.await(replies.get(i)));
            } catch (StoreException e) {
                if (isUnavailable(e)) {
                    // Keep going: a later reply may already hold a session its script claimed and deleted (on
                    // Redis Cluster other nodes answer while this one does not), which only this pass can return.
                    if (unavailable == null) {
                        unavailable = e;
                        unavailableId = id;
                    }
                    continue;
                }
                LOG.log(Level.WARNING, "expiry sweep skipped session {0}: {1}", SessionIds.redact(id), e.getMessage());
                // A corrupt record would come back on every pass: drop it from the index; its TTL frees it.
                indexUpdates.add(store.unscore(redis, HashLayout.ascii(id)));
                continue;
            }
            if (claim instanceof ExpiryClaim.Claimed c) {
                claimed.add(c.record());
                store.claimed(redis, id);
                indexUpdates.add(store.unscore(redis, HashLayout.ascii(id)));
                CompletableFuture<Long> name = store.unindexPrincipal(redis, c.record());
                if (name != null) {
                    principalUpdates.add(name);
                }
            } else if (claim instanceof ExpiryClaim.Alive alive) {
                indexUpdates.add(store.score(redis, id, alive.expiresAt())); // touched since: the real expiry
            } else {
                indexUpdates.add(store.unscore(redis, HashLayout.ascii(id)));
            }
        }
        RedisSessionStore.awaitIndex(call, indexUpdates, RedisSessionStore.EXPIRY_INDEX);
        RedisSessionStore.awaitIndex(call, principalUpdates, RedisSessionStore.PRINCIPAL_INDEX);
        if (unavailable != null) {
            if (claimed.isEmpty()) {
                throw unavailable; // nothing taken: the caller may simply retry later
            }
            LOG.log(Level.WARNING, "expiry sweep skipped session {0} and perhaps others: {1}",
                    SessionIds.redact(unavailableId), unavailable.getMessage());
        }
        return claimed;
    }

    private static boolean isUnavailable(StoreException e) {
        return e instanceof StoreUnavailableException;
    }
}
