package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreUnavailableException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Context;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.authenticator.AuthenticatorBase;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Brackets each request of a {@link ClusteredSessionManager}'s context; installed by the manager itself.
 * Before the application runs it brings the requested session up to date (so that a store outage is found
 * before the application does anything: the request is answered {@code 503 Service Unavailable} with
 * {@code Retry-After}) and takes over a session whose id carries another node's {@code jvmRoute}, rewriting the id
 * to this node's route so the balancer follows. After the application returns it hands the request to the
 * manager, which writes what changed; if that write fails while the response is uncommitted, the response is
 * replaced by a 503, so nothing the client saw as successful is lost.
 *
 * <p>Asynchronous requests: the valve wraps the request it passes on ({@link AsyncAwareRequest}), so that
 * {@code AsyncContext.complete()} writes the session on the completing thread before Tomcat finishes the response
 * (a failure there becomes a 503 as well). An {@code AsyncContext.dispatch()} passes this valve again and writes at
 * the end of that pass. Only what a request does after its {@code complete()} (or when Tomcat completes it, on a
 * timeout or an error) is written from {@code AsyncListener.onComplete}, after the response.
 */
public final class SessionClusterValve extends ValveBase {

    private static final Log log = Logs.of(SessionClusterValve.class);
    private static final StringManager sm = StringManager.getManager(SessionClusterValve.class);
    static final String RETRY_AFTER_SECONDS = "1";

    private final ClusteredSessionManager manager;
    private final RateLimitedLog unavailable = new RateLimitedLog(10, TimeUnit.SECONDS);

    SessionClusterValve(ClusteredSessionManager manager) {
        super(true);
        this.manager = manager;
    }

    /**
     * Adds a valve for {@code manager} to the context's pipeline unless {@code current} is already there, and warns
     * if an authenticator runs before it (it would look up sessions outside the valve's bracket).
     *
     * @return the installed valve
     */
    static SessionClusterValve installIn(Context context, ClusteredSessionManager manager, SessionClusterValve current) {
        Pipeline pipeline = context.getPipeline();
        SessionClusterValve valve = current;
        if (valve == null || !Arrays.asList(pipeline.getValves()).contains(valve)) {
            valve = new SessionClusterValve(manager);
            pipeline.addValve(valve);
        }
        for (Valve v : pipeline.getValves()) {
            if (v == valve) {
                break;
            }
            if (v instanceof AuthenticatorBase) {
                log.warn(sm.getString("manager.valveOrder", v.getClass().getName(), manager.contextName()));
            }
        }
        return valve;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        RequestScope scope = manager.enterRequest();
        boolean completeNow = true;
        try {
            try {
                prepare(request, scope);
            } catch (StoreUnavailableException e) {
                completeNow = false;
                manager.abandonRequest(scope);
                manager.counters().readUnavailable();
                unavailable(request, response, e.getMessage());
                return;
            }
            followAsync(request, response, scope);
            getNext().invoke(request, response);
            if (request.isAsyncStarted()) {
                completeNow = !completeWhenAsyncEnds(request, response, scope);
            }
        } finally {
            try {
                if (completeNow && !manager.requestCompleted(scope)) {
                    failed(request, response, scope);
                }
            } finally {
                manager.exitRequest();
            }
        }
    }

    private void prepare(Request request, RequestScope scope) {
        String requested = request.getRequestedSessionId();
        if (requested == null) {
            return;
        }
        ClusteredSession session = manager.prepareRequest(requested, scope);
        if (session == null) {
            return;
        }
        // Failover: the id names another node (or none); take the session over under this node's route.
        String ourRoute = emptyToNull(manager.getJvmRoute());
        if (!SessionIds.hasRoute(requested, ourRoute)) {
            String newId = SessionIds.withRoute(SessionIds.baseId(requested), ourRoute);
            if (!newId.equals(session.getIdInternal())) {
                manager.changeSessionId(session, newId);
            }
            request.changeSessionId(newId);
            scope.verified(newId, session);
            manager.tookOver(SessionIds.baseId(requested)); // the old node's copy must not serve the old cookie
        }
    }

    /**
     * Lets {@code AsyncContext.complete()} write the session before the response is finished; and on an asynchronous
     * dispatch, makes this pass write what the request's other threads changed in its session.
     */
    private void followAsync(Request request, Response response, RequestScope scope) {
        HttpServletRequest app = request.getRequest();
        if (app instanceof AsyncAwareRequest aware && aware.belongsTo(this)) {
            aware.scope(scope); // an asynchronous dispatch of the same request
        } else {
            request.setRequest(new AsyncAwareRequest(app, this, request, response, scope));
        }
        if (request.getDispatcherType() == DispatcherType.ASYNC
                && request.getSessionInternal(false) instanceof ClusteredSession session) {
            scope.accessed(session);
        }
    }

    /**
     * The application calls {@code complete()} on an asynchronous request (any thread): its changes are written now,
     * before Tomcat finishes the response; if that fails while the response is uncommitted, it becomes a 503.
     */
    void asyncCompleting(Request request, Response response, RequestScope scope) {
        if (request.getSessionInternal(false) instanceof ClusteredSession session) {
            scope.accessed(session);
        }
        if (manager.requestCompleted(scope)) {
            return;
        }
        scope.asyncWriteFailed(); // the changes stay with the session for its next request, not for onComplete
        if (response.isCommitted()) {
            log.warn(sm.getString("manager.storeFailedCommitted", SessionIds.redact(request.getRequestedSessionId()),
                    request.getRequestURI()));
            return;
        }
        manager.abandonUnacknowledged(scope);
        manager.counters().writeUnavailable();
        logUnavailable(request, "the session could not be written");
        // Not sendError: in asynchronous mode it would route the request through the error page machinery.
        try {
            response.reset();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            response.setContentLength(0);
        } catch (IllegalStateException e) {
            log.debug("cannot send 503", e);
        }
    }

    /** @return true if the manager will be called when the asynchronous request ends */
    private boolean completeWhenAsyncEnds(Request request, Response response, RequestScope scope) {
        try {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    if (scope.hasAsyncWriteFailed()) {
                        return; // complete() could not write: answered 503 (or logged), changes kept for next time
                    }
                    // A session created or first used on another thread was not seen by the scope.
                    if (request.getSessionInternal(false) instanceof ClusteredSession session) {
                        scope.accessed(session);
                    }
                    if (!manager.requestCompleted(scope)) {
                        failed(request, response, scope);
                    }
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                }
            });
            return true;
        } catch (IllegalStateException e) {
            log.debug(sm.getString("valve.asyncListenerFailed", request.getRequestURI()), e);
            return false;
        }
    }

    private void failed(Request request, Response response, RequestScope scope) {
        if (response.isCommitted()) {
            log.warn(sm.getString("manager.storeFailedCommitted", SessionIds.redact(request.getRequestedSessionId()),
                    request.getRequestURI()));
            return;
        }
        manager.abandonUnacknowledged(scope);
        manager.counters().writeUnavailable();
        unavailable(request, response, "the session could not be written");
    }

    private void unavailable(Request request, Response response, String reason) {
        logUnavailable(request, reason);
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        try {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        } catch (IOException | IllegalStateException e) {
            log.debug("cannot send 503", e);
        }
    }

    private void logUnavailable(Request request, String reason) {
        long suppressed = unavailable.permit("503");
        if (suppressed >= 0) {
            log.warn(sm.getString("valve.unavailable", request.getMethod(), request.getRequestURI(), reason,
                    Long.valueOf(suppressed)));
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
