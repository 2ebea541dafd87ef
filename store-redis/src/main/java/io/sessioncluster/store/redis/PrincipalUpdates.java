package io.sessioncluster.store.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.store.StoreException;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The updates of principal names' sets one operation sent, awaited together at its end. An extension the session's
 * hash recorded in {@code #pe} but that failed is taken back there ({@code HDEL #pe}, which never creates a hash), so
 * the session's next write or touch extends its entry again instead of counting on one it does not have.
 */
final class PrincipalUpdates {

    private static final System.Logger LOG = Loggers.of(PrincipalUpdates.class);

    private final HashLayout layout;
    private final List<String> extended = new ArrayList<>(1);
    private final List<CompletableFuture<Long>> extensions = new ArrayList<>(1);
    private final List<CompletableFuture<Long>> others = new ArrayList<>(1);

    PrincipalUpdates(HashLayout layout) {
        this.layout = layout;
    }

    /** An update that extends session {@code id}'s entry, which its {@code #pe} counts on. */
    void extension(String id, CompletableFuture<Long> update) {
        extended.add(id);
        extensions.add(update);
    }

    /** Any other update (a removal, a move): only awaited. */
    void other(CompletableFuture<Long> update) {
        others.add(update);
    }

    /** Waits for every update; failures are logged, not thrown (see {@link RedisSessionStore#awaitIndex}). */
    void await(RedisCall call, RedisClusterAsyncCommands<byte[], byte[]> redis) {
        RedisSessionStore.awaitIndex(call, others, RedisSessionStore.PRINCIPAL_INDEX);
        List<CompletableFuture<Long>> takenBack = new ArrayList<>(0);
        for (int i = 0; i < extensions.size(); i++) {
            String id = extended.get(i);
            RedisCall about = call.about(id);
            try {
                about.await(extensions.get(i));
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "{0}: principal index not extended: {1}", about.describe(), e.getMessage());
                takenBack.add(redis.hdel(layout.sessionKey(id), HashLayout.PRINCIPAL_EXTENDED).toCompletableFuture());
            }
        }
        RedisSessionStore.awaitIndex(call, takenBack, "principal index extension (#pe)");
    }
}
