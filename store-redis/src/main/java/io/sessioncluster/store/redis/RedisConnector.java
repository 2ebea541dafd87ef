package io.sessioncluster.store.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.TrustManagerFactory;

/**
 * Owns the Lettuce client and its one connection, and makes them appear lazily.
 *
 * <p>Why lazily: a node must start while Redis is down (a Redis restart must not stop deployments), so
 * {@link #connector} never waits for Redis. The first attempt starts in the background at open; after a failed
 * attempt the next one starts at most once per second, on demand, and callers in between fail at once with
 * {@link StoreUnavailableException}. Once connected, Lettuce reconnects by itself (also once per second), and
 * {@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS} makes commands issued while disconnected fail at
 * once instead of queueing until the caller's timeout expires. On Redis Cluster commands do queue while a node
 * connection is (re)connecting, and {@link TimeoutOptions} cancels them at the timeout.
 *
 * <p>With a {@code redis-sentinel://} URI, Lettuce asks the Sentinels for the master's address on every
 * (re)connect, not only the first: after a failover the reconnecting connection follows the promoted replica by
 * itself, and until Sentinel has promoted one, commands fail fast as above ({@code RedisSentinelFailoverIT}).
 *
 * <p>One connection serves all threads: Lettuce connections are thread-safe and pipeline concurrent commands.
 */
final class RedisConnector implements AutoCloseable {

    private static final System.Logger LOG = Loggers.of(RedisConnector.class);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RedisEndpoint endpoint;
    private final boolean cluster;
    private final Duration timeout;
    private final String contextName;
    private final ClientResources resources;
    private final AbstractRedisClient client;

    private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;
    /** False from a failed operation until the next successful one; only for logging transitions. */
    private volatile boolean available = true;
    // Guarded by this:
    private StatefulConnection<byte[], byte[]> connection;
    private CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> pending;
    private long nextAttemptNanos;
    private Throwable lastFailure;
    private boolean failureLogged;
    private boolean closed;

    private RedisConnector(RedisEndpoint endpoint, boolean cluster, Duration timeout, TrustManagerFactory trust,
                           String contextName) {
        this.endpoint = endpoint;
        this.cluster = cluster;
        this.timeout = timeout;
        this.contextName = contextName;
        // Small pools: a store is one of possibly many web applications in one Tomcat.
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofSeconds(1)))
                .build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
        // Used by rediss:// only. Lettuce's default handshake timeout (10 s) would outlast redisTimeoutMillis.
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(timeout);
        if (trust != null) {
            ssl.trustManager(trust); // else the JVM's default trust store
        }
        SslOptions sslOptions = ssl.build();
        for (RedisURI uri : endpoint.uris()) {
            uri.setTimeout(timeout);
            for (RedisURI sentinelUri : uri.getSentinels()) {
                sentinelUri.setTimeout(timeout);
            }
        }
        if (cluster) {
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, endpoint.uris());
            clusterClient.setOptions(ClusterClientOptions.builder()
                    .socketOptions(socket)
                    .sslOptions(sslOptions)
                    .timeoutOptions(timeouts)
                    // Not REJECT_COMMANDS here: Lettuce opens the per-node connections lazily and would reject the
                    // first command to each node while it connects. Queued commands still fail at the timeout.
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    // Lettuce 7 refreshes the slot map on MOVED/ASK and lost nodes by default (adaptive triggers),
                    // which follows failovers and resharding; nothing to configure.
                    .build());
            this.client = clusterClient;
        } else {
            RedisClient redisClient = RedisClient.create(resources);
            redisClient.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .sslOptions(sslOptions)
                    .timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            this.client = redisClient;
        }
    }

    /** Creates the client and starts the first connection attempt in the background; never waits for Redis. */
    static RedisConnector connector(RedisEndpoint endpoint, boolean cluster, Duration timeout,
                                    TrustManagerFactory trust, String contextName) {
        RedisConnector connector = new RedisConnector(endpoint, cluster, timeout, trust, contextName);
        synchronized (connector) {
            connector.pending = connector.startConnect();
        }
        return connector;
    }

    Duration timeout() {
        return timeout;
    }

    String describe() {
        return endpoint.masked() + (cluster ? " (cluster)" : "");
    }

    /**
     * The commands of the live connection, connecting first if needed, waiting no longer than {@code deadline}.
     *
     * @throws StoreUnavailableException if there is no connection and none could be made in time
     */
    RedisClusterAsyncCommands<byte[], byte[]> commands(RedisCall call) {
        String operation = call.operation();
        RedisClusterAsyncCommands<byte[], byte[]> live = commands;
        if (live != null) {
            return live;
        }
        CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> attempt;
        synchronized (this) {
            if (closed) {
                throw new StoreException("redis " + operation + ": store is closed");
            }
            if (commands != null) {
                return commands;
            }
            if (pending == null) {
                if (System.nanoTime() - nextAttemptNanos < 0) {
                    throw new StoreUnavailableException("redis " + operation + ": not connected to " + describe()
                            + " (last attempt failed: " + summary(lastFailure) + "; retrying at most once per second)", lastFailure);
                }
                pending = startConnect();
            }
            attempt = pending;
        }
        try {
            return attempt.get(call.remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("redis " + operation + ": connecting to " + describe()
                    + " took longer than " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new StoreUnavailableException("redis " + operation + ": cannot connect to " + describe() + ": "
                    + summary(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("redis " + operation + ": interrupted while connecting", e);
        }
    }

    /**
     * Starts opening a separate pub/sub connection (a subscribed connection cannot run other commands), without
     * waiting. On Redis Cluster it is the cluster pub/sub connection: plain {@code PUBLISH} reaches every node.
     */
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> connectPubSub() {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new StoreException("store is closed"));
            }
        }
        try {
            if (client instanceof RedisClusterClient clusterClient) {
                return clusterClient.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> clusterClient.connectPubSubAsync(ByteArrayCodec.INSTANCE))
                        .thenApply(c -> (StatefulRedisPubSubConnection<byte[], byte[]>) c);
            }
            return ((RedisClient) client).connectPubSubAsync(ByteArrayCodec.INSTANCE, endpoint.uris().get(0))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> startConnect() {
        CompletableFuture<? extends StatefulConnection<byte[], byte[]>> connecting;
        try {
            if (client instanceof RedisClusterClient clusterClient) {
                // connectAsync does not load the slot map itself (connect() does): load it first, without blocking.
                connecting = clusterClient.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> clusterClient.connectAsync(ByteArrayCodec.INSTANCE));
            } else {
                connecting = ((RedisClient) client).connectAsync(ByteArrayCodec.INSTANCE, endpoint.uris().get(0)).toCompletableFuture();
            }
        } catch (RuntimeException e) {
            connecting = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> result = new CompletableFuture<>();
        connecting.whenComplete((conn, failure) -> {
            if (failure == null) {
                connected(conn, result);
            } else {
                failed(failure, result);
            }
        });
        return result;
    }

    private void connected(StatefulConnection<byte[], byte[]> conn, CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> result) {
        RedisClusterAsyncCommands<byte[], byte[]> async = conn instanceof StatefulRedisClusterConnection<byte[], byte[]> c
                ? c.async() : ((StatefulRedisConnection<byte[], byte[]>) conn).async();
        synchronized (this) {
            pending = null;
            connection = conn;
            if (closed) {
                // close() is waiting for this attempt and closes the connection itself.
                result.completeExceptionally(new StoreException("store closed while connecting"));
                return;
            }
            commands = async;
            failureLogged = false;
        }
        LOG.log(Level.INFO, "session store for [{0}] connected to Redis at {1}", contextName, describe());
        result.complete(async);
    }

    private void failed(Throwable failure, CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> result) {
        boolean log;
        synchronized (this) {
            pending = null;
            lastFailure = failure;
            nextAttemptNanos = System.nanoTime() + RETRY_NANOS;
            log = !failureLogged && !closed;
            failureLogged = true;
        }
        if (log) {
            // Once per outage, not once per attempt: a down Redis must not flood the log.
            LOG.log(Level.WARNING, "session store for [{0}] cannot connect to Redis at {1}: {2}; sessions are"
                    + " unavailable, retrying at most once per second", contextName, describe(), summary(failure));
        }
        result.completeExceptionally(failure);
    }

    /**
     * Notes that Redis failed an operation, logging once per outage (not per call, which would flood the log),
     * and returns {@code e} for throwing.
     */
    StoreUnavailableException unavailable(StoreUnavailableException e) {
        if (available) {
            available = false;
            LOG.log(Level.WARNING, "session store for [{0}]: {1}; session operations fail until Redis is back",
                    contextName, e.getMessage());
        }
        return e;
    }

    /** Notes that an operation succeeded; logs the recovery after an outage. */
    void succeeded() {
        if (!available) {
            available = true;
            LOG.log(Level.INFO, "session store for [{0}]: Redis at {1} answers again", contextName, describe());
        }
    }

    static String summary(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == t ? t.toString() : t.getMessage() + " (" + root + ")";
        return message;
    }

    @Override
    public void close() {
        CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> attempt;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            attempt = pending;
        }
        if (attempt != null) {
            // Let a connection attempt in flight finish (bounded): shutting the event loops down under it makes
            // Netty log scary stack traces, and the connection it yields must be closed too.
            try {
                attempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // closing anyway
            }
        }
        StatefulConnection<byte[], byte[]> conn;
        synchronized (this) {
            conn = connection;
            connection = null;
            commands = null;
        }
        try {
            if (conn != null) {
                conn.close();
            }
            client.shutdown(Duration.ZERO, timeout);
            resources.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the Redis client of [" + contextName + "] failed", e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
