package io.sessioncluster.store.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One page of {@code page}'s walk: the expiry index in (score, member) order, which holds every session (those that
 * never expire at {@code +inf}), from the position after the cursor's; then the metadata fields of each, without the
 * attributes. Not {@code SCAN}: it walks the whole database, other applications' keys included, so a store with
 * few sessions in a large Redis would answer page after empty page, and on Cluster it walks each node on its own.
 *
 * <p>A session is seen once if it stays put; one whose score grows during the walk (a write moves its expiry later)
 * may be seen twice. One whose expiry moves earlier, past the walk's position (a write that shortens its timeout), is
 * missed by that walk, and so is a session whose expiry index entry could not be written (logged when it happened).
 */
final class SessionWalk {

    private static final System.Logger LOG = Loggers.of(SessionWalk.class);
    private static final byte[] START = new byte[0];

    private final HashLayout layout;
    private final String keyPrefix;

    SessionWalk(HashLayout layout, String keyPrefix) {
        this.layout = layout;
        this.keyPrefix = keyPrefix;
    }

    /** Checks a cursor before any round trip: a bad one is the caller's mistake, not the store's failure. */
    PageCursor cursor(String text) {
        return text == null ? null : PageCursor.parse(keyPrefix, text);
    }

    SessionPage page(RedisCall call, RedisClusterAsyncCommands<byte[], byte[]> redis, PageCursor from, int limit) {
        List<Object> reply = call.await(Scripts.WALK.<List<Object>>run(redis, layout.indexKey(),
                from == null ? START : HashLayout.ascii(from.score()), HashLayout.ascii(limit + 1)));
        List<PageCursor> candidates = new ArrayList<>();
        if (from != null) {
            for (Object member : (List<?>) reply.get(0)) { // the members of the cursor's score, in Redis's byte order
                if (Arrays.compareUnsigned((byte[]) member, from.member()) > 0) {
                    candidates.add(new PageCursor(from.score(), (byte[]) member));
                }
            }
        }
        List<?> after = (List<?>) reply.get(1);
        for (int i = 0; i + 1 < after.size(); i += 2) {
            candidates.add(new PageCursor(new String((byte[]) after.get(i + 1), StandardCharsets.US_ASCII),
                    (byte[]) after.get(i)));
        }
        // limit + 1 asked for: more than limit candidates means the walk goes on.
        boolean more = candidates.size() > limit;
        List<PageCursor> page = candidates.subList(0, Math.min(limit, candidates.size()));

        List<String> ids = new ArrayList<>(page.size());
        List<CompletableFuture<List<KeyValue<byte[], byte[]>>>> fields = new ArrayList<>(page.size());
        for (PageCursor position : page) {
            String id = RedisSessionStore.idOf(position.member());
            if (SessionIds.isWellFormed(id)) { // anything else was never written by a store
                ids.add(id);
                fields.add(redis.hmget(layout.sessionKey(id), HashLayout.CREATED, HashLayout.ACCESSED,
                        HashLayout.MAX_INACTIVE, HashLayout.PRINCIPAL).toCompletableFuture());
            }
        }
        List<SessionSummary> sessions = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            try {
                SessionSummary summary = summary(id, call.about(id).await(fields.get(i)));
                if (summary != null) {
                    sessions.add(summary);
                }
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (StoreException e) {
                LOG.log(Level.WARNING, "page left out session {0}: {1}", SessionIds.redact(id), e.getMessage());
            }
        }
        return new SessionPage(sessions, more ? page.get(page.size() - 1).format(keyPrefix) : null);
    }

    /** The summary of one hash's metadata; null if the session is gone (the index entry outlived it). */
    private static SessionSummary summary(String id, List<KeyValue<byte[], byte[]>> values) {
        byte[] created = value(values, 0);
        byte[] accessed = value(values, 1);
        byte[] maxInactive = value(values, 2);
        if (created == null && accessed == null && maxInactive == null) {
            return null;
        }
        return new SessionSummary(id, HashLayout.number(id, "#c", created), HashLayout.number(id, "#a", accessed),
                HashLayout.maxInactive(id, maxInactive), HashLayout.principal(id, value(values, 3)));
    }

    private static byte[] value(List<KeyValue<byte[], byte[]>> values, int index) {
        KeyValue<byte[], byte[]> value = values.get(index);
        return value.hasValue() ? value.getValue() : null;
    }
}
