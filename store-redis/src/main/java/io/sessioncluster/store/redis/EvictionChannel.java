package io.sessioncluster.store.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.EvictionListener;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The eviction notifications of one store instance (one node) over Redis pub/sub, channel
 * {@code <keyPrefix>evictions}, message {@code <nodeId> <sessionId>}. Plain pub/sub rather than keyspace
 * notifications: those need {@code CONFIG SET}, which managed Redis services and ACL users often may not run.
 *
 * <p>Publishing is pipelined with the operation that caused it and never awaited: a lost notification only
 * delays what a later write, expiry check or {@code sticky=false} would find anyway, so it must not cost the
 * operation a round trip or fail it. Subscribing uses a connection of its own, opened in the background (Redis may
 * be down at start) and retried once a second until it works; Lettuce then reconnects and re-subscribes by itself,
 * and every subscription after the first tells the listener it may have missed evictions meanwhile.
 */
final class EvictionChannel implements AutoCloseable {

    private static final System.Logger LOG = Loggers.of(EvictionChannel.class);
    private static final int MAX_MESSAGE_BYTES = 256;

    private final RedisConnector connector;
    private final byte[] channel;
    /** Random per store instance, so that a node recognises (and ignores) its own messages. */
    private final String nodeId;
    private final RateLimitedLog warnings = new RateLimitedLog(10, TimeUnit.SECONDS);

    /** Set once, by {@link #subscribe}. */
    private volatile EvictionListener listener;
    // Guarded by this:
    private StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private boolean connectFailureLogged;
    private boolean closed;
    /** Set once a subscription existed or an attempt failed: any later subscription may have missed messages. */
    private volatile boolean interrupted;

    EvictionChannel(RedisConnector connector, String keyPrefix) {
        this.connector = connector;
        this.channel = HashLayout.utf8(keyPrefix + "evictions");
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.nodeId = HexFormat.of().formatHex(random);
    }

    /** Sends the notification on the operation's connection, without waiting for it. */
    void publish(RedisClusterAsyncCommands<byte[], byte[]> redis, String id) {
        try {
            redis.publish(channel, HashLayout.ascii(nodeId + ' ' + id)).whenComplete((receivers, failure) -> {
                if (failure != null) {
                    publishFailed(failure);
                }
            });
        } catch (RuntimeException e) {
            publishFailed(e);
        }
    }

    void subscribe(EvictionListener newListener) {
        synchronized (this) {
            if (closed || listener != null) {
                return;
            }
            listener = newListener;
        }
        connect();
    }

    private void connect() {
        connector.connectPubSub().whenComplete((conn, failure) -> {
            if (failure != null) {
                retryLater(failure);
                return;
            }
            boolean closeIt;
            synchronized (this) {
                closeIt = closed;
                if (!closeIt) {
                    connection = conn;
                    connectFailureLogged = false;
                }
            }
            if (closeIt) {
                conn.closeAsync();
                return;
            }
            conn.addListener(new Receiver());
            conn.async().subscribe(channel).whenComplete((ok, subscribeFailure) -> {
                if (subscribeFailure != null) {
                    synchronized (this) {
                        if (connection == conn) {
                            connection = null;
                        }
                    }
                    conn.closeAsync();
                    retryLater(subscribeFailure);
                }
            });
        });
    }

    private void retryLater(Throwable failure) {
        boolean log;
        synchronized (this) {
            if (closed) {
                return;
            }
            log = !connectFailureLogged;
            connectFailureLogged = true;
        }
        interrupted = true;
        if (log) {
            LOG.log(Level.WARNING, "cannot subscribe to session evictions at {0}: {1}; retrying once a second"
                    + " (sticky nodes may serve stale copies of sessions ended elsewhere meanwhile)",
                    connector.describe(), RedisConnector.summary(failure));
        }
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            connect();
        });
    }

    private final class Receiver extends RedisPubSubAdapter<byte[], byte[]> {

        @Override
        public void subscribed(byte[] subscribedChannel, long count) {
            EvictionListener target = listener;
            if (interrupted && target != null) {
                target.missedEvictions(); // a re-subscription after a disconnect, or the first after failures
            }
            interrupted = true;
        }

        @Override
        public void message(byte[] fromChannel, byte[] message) {
            received(message);
        }
    }

    /** Parses one message; package-private for tests. */
    void received(byte[] message) {
        EvictionListener target = listener;
        if (target == null) {
            return;
        }
        String text = message.length > MAX_MESSAGE_BYTES ? null : new String(message, StandardCharsets.ISO_8859_1);
        int space = text == null ? -1 : text.indexOf(' ');
        String sender = space <= 0 ? null : text.substring(0, space);
        String id = space <= 0 ? null : text.substring(space + 1);
        // A sender id is made of id characters too (hex), without a route.
        if (id == null || !SessionIds.isWellFormed(id) || !SessionIds.isWellFormed(sender) || sender.indexOf('.') >= 0) {
            malformed(message.length, id);
            return;
        }
        if (sender.equals(nodeId)) {
            return; // our own
        }
        try {
            target.evicted(SessionIds.baseId(id));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "eviction listener failed for session " + SessionIds.redact(id), e);
        }
    }

    private void malformed(int length, String id) {
        if (warnings.permit("malformed") >= 0) {
            LOG.log(Level.WARNING, "dropped malformed message of {0} bytes on channel {1} (session id {2}); further"
                    + " ones are not logged for 10 s", length, new String(channel, StandardCharsets.UTF_8),
                    SessionIds.redact(id));
        }
    }

    void publishFailed(Throwable failure) {
        if (warnings.permit("publish") >= 0) {
            LOG.log(Level.WARNING, "eviction notification not sent to {0}: {1}; other sticky nodes may serve a stale"
                    + " copy (further failures are not logged for 10 s)", connector.describe(), RedisConnector.summary(failure));
        }
    }


    @Override
    public void close() {
        StatefulRedisPubSubConnection<byte[], byte[]> conn;
        synchronized (this) {
            closed = true;
            conn = connection;
            connection = null;
        }
        if (conn != null) {
            conn.close();
        }
    }
}
