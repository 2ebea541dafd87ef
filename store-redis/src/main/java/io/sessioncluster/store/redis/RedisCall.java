package io.sessioncluster.store.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One store operation in flight: its name and (redacted) session id for messages, and its deadline. Every
 * round trip of the operation waits through {@link #await}, so the operation as a whole never takes longer than
 * {@code redisTimeoutMillis}, however many round trips it needs.
 */
final class RedisCall {

    /** Error replies that mean "Redis is there but cannot serve now" (loading, failover, resharding). */
    private static final String[] TRANSIENT_ERRORS = {"LOADING", "MASTERDOWN", "CLUSTERDOWN", "READONLY", "TRYAGAIN", "BUSY ", "NOREPLICAS"};

    private final RedisConnector connector;
    private final String operation;
    private final String id;
    private final long deadlineNanos;

    RedisCall(RedisConnector connector, String operation, String id) {
        this(connector, operation, id, System.nanoTime() + connector.timeout().toNanos());
    }

    private RedisCall(RedisConnector connector, String operation, String id, long deadlineNanos) {
        this.connector = connector;
        this.operation = operation;
        this.id = id;
        this.deadlineNanos = deadlineNanos;
    }

    /** This call's part for one session of a batch: the same deadline, failures naming that session. */
    RedisCall about(String sessionId) {
        return new RedisCall(connector, operation, sessionId, deadlineNanos);
    }

    long remainingNanos() {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    String operation() {
        return operation;
    }

    /** The connection's commands, connecting first if needed. */
    RedisClusterAsyncCommands<byte[], byte[]> redis() {
        return connector.commands(this);
    }

    /** Waits for one reply until the deadline; every failure becomes a {@link StoreException}. */
    <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(remainingNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw connector.unavailable(new StoreUnavailableException(describe() + ": no answer from Redis at "
                    + connector.describe() + " within " + connector.timeout().toMillis() + " ms", e));
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(describe() + ": interrupted", e);
        }
    }

    /** Translates a Lettuce or I/O failure: the backend being away is {@link StoreUnavailableException}. */
    StoreException failure(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StoreException e) {
            return e;
        }
        if (cause instanceof RedisCommandExecutionException e) {
            String message = String.valueOf(e.getMessage());
            for (String prefix : TRANSIENT_ERRORS) {
                if (message.startsWith(prefix)) {
                    return connector.unavailable(new StoreUnavailableException(describe() + ": Redis at "
                            + connector.describe() + " cannot serve now: " + message, e));
                }
            }
            if (message.contains("WRONGTYPE") || message.contains("not an integer")) {
                return new StoreException("corrupt session record " + SessionIds.redact(id) + " in " + operation
                        + ": " + message, e);
            }
            return new StoreException(describe() + ": Redis answered with an error: " + message, e);
        }
        if (cause instanceof RedisCommandTimeoutException || cause instanceof RedisException
                || cause instanceof IOException || cause instanceof CancellationException) {
            return connector.unavailable(new StoreUnavailableException(describe() + ": Redis at " + connector.describe()
                    + " is unavailable: " + RedisConnector.summary(cause), cause));
        }
        return new StoreException(describe() + " failed: " + cause, cause);
    }

    String describe() {
        return "redis " + operation + (id == null ? "" : " for session " + SessionIds.redact(id));
    }
}
