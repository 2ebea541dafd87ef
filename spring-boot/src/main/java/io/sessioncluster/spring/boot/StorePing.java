package io.sessioncluster.spring.boot;

import io.sessioncluster.tomcat.ClusteredSessionManager;

import org.springframework.beans.factory.DisposableBean;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the store a cheap question (the version of a session that does not exist) within a timeout, on a thread of
 * its own so that a hanging store cannot hang the health endpoint. Free of Boot's health types, which moved between
 * Boot 3 and 4: each Boot's health indicator turns the {@link Result} into its {@code Health}.
 */
final class StorePing implements DisposableBean {

    enum Status { UP, DOWN, UNKNOWN }

    record Result(Status status, Map<String, Object> details) {
    }

    private final SessionClusterManagers managers;
    private final String store;
    private final Duration timeout;
    private final ExecutorService pings = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "session-cluster-health");
        t.setDaemon(true);
        return t;
    });

    StorePing(SessionClusterManagers managers, String store, Duration timeout) {
        this.managers = managers;
        this.store = String.valueOf(store);
        this.timeout = timeout;
    }

    Result check() {
        List<ClusteredSessionManager> all = managers.all();
        if (all.isEmpty()) {
            return result(Status.UNKNOWN, "reason", "no clustered web application started");
        }
        for (ClusteredSessionManager manager : all) {
            CompletableFuture<Void> ping = CompletableFuture.runAsync(manager::pingStore, pings);
            try {
                ping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                ping.cancel(true);
                return result(Status.DOWN, "error", "no answer within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                // Store messages name the backend and the failure, never credentials (URIs are masked).
                return result(Status.DOWN, "error", String.valueOf(e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result(Status.UNKNOWN, "reason", "interrupted");
            }
        }
        return result(Status.UP, "activeSessions", managers.total().activeSessions());
    }

    private Result result(Status status, String key, Object value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store);
        details.put(key, value);
        return new Result(status, details);
    }

    @Override
    public void destroy() {
        pings.shutdownNow();
    }
}
