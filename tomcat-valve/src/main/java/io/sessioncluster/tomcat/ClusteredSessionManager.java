package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.WriteMode;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Loader;
import org.apache.catalina.Session;
import org.apache.catalina.session.ManagerBase;
import org.apache.catalina.session.StandardSession;
import org.apache.juli.logging.Log;
import org.apache.naming.ContextBindings;
import org.apache.tomcat.util.res.StringManager;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;

import javax.naming.NamingException;

/**
 * A Tomcat {@code Manager} whose sessions live in a shared {@link io.sessioncluster.core.store.SessionStore}
 * (Redis today), with a local copy on each node. One element in {@code context.xml} is the whole setup:
 *
 * <pre>{@code <Manager className="io.sessioncluster.tomcat.ClusteredSessionManager"
 *          store="redis" redisUri="redis://127.0.0.1:6379" allowedClasses="com.example.shop.**"/>}</pre>
 *
 * <p>Every attribute other than {@code ManagerBase}'s own ({@code processExpiresFrequency}, ...) reaches
 * {@link #setProperty}, and all of them are validated together at start: a mistake stops the start with one
 * {@link LifecycleException} listing every problem. The manager installs its own {@link SessionClusterValve}.
 *
 * <p>Store keys are session ids without their {@code .jvmRoute} suffix; the local map is keyed by Tomcat's full
 * id. Stopping the context releases the local copies without expiring them: the sessions live on in the store.
 */
public class ClusteredSessionManager extends ManagerBase {

    private static final Log log = Logs.of(ClusteredSessionManager.class);
    private static final StringManager sm = StringManager.getManager(ClusteredSessionManager.class);

    private final ManagerSettings settings = new ManagerSettings(this);
    private final StatisticsCounters counters = new StatisticsCounters();
    private volatile String principalAttribute = "";
    private volatile int listLimit = 1_000;
    private final LocalCopies copies = new LocalCopies(session -> remove(session, false));
    private final ThreadLocal<RequestScope> scopes = new ThreadLocal<>();
    private final RateLimitedLog warnings = new RateLimitedLog(10, TimeUnit.SECONDS);
    private volatile ClusterRuntime runtime;
    /** A well-formed id no session ever gets (generated ids are random hex of the configured length). */
    private static final String PING_ID = "health-check-0000";
    private SessionClusterValve valve;
    private JmxRegistration jmx; // the statistics MBean while started (docs/monitoring.md)

    // ---------------------------------------------------------------- settings

    /**
     * Sets one setting by name, as Tomcat's digester does for {@code <Manager>} attributes without a setter; also the
     * programmatic way (Spring Boot). Problems are reported when the manager starts, all at once.
     *
     * @return always true: the value was recorded
     */
    public boolean setProperty(String name, String value) {
        settings.set(name, value);
        return true;
    }

    // ------------------------------------------------ Tomcat's own attributes, validated like the cluster's

    /**
     * Authentication is session state: the principal and auth type an authenticator caches in the session travel
     * with it, as they do with Tomcat's DeltaManager. Tomcat's {@code ManagerBase} defaults this to false because
     * for its managers it means "survive a restart"; here it is what keeps a user logged in on failover. With
     * {@code false} the login stays on the node that made it (see {@link AuthReplication}).
     */
    public ClusteredSessionManager() {
        setPersistAuthentication(true);
    }

    // The digester converts a boolean attribute with Boolean.valueOf, so "yes" would silently become false; it
    // calls a String setter first when there is one, which hands the text to the validated settings instead.

    public void setPersistAuthentication(String value) {
        settings.set("persistAuthentication", value);
    }

    public void setNotifyAttributeListenerOnUnchangedValue(String value) {
        settings.set("notifyAttributeListenerOnUnchangedValue", value);
    }

    public void setNotifyBindingListenerOnUnchangedValue(String value) {
        settings.set("notifyBindingListenerOnUnchangedValue", value);
    }

    public void setSessionActivityCheck(String value) {
        settings.set("sessionActivityCheck", value);
    }

    public void setSessionLastAccessAtStart(String value) {
        settings.set("sessionLastAccessAtStart", value);
    }

    public void setWarnOnSessionAttributeFilterFailure(String value) {
        settings.set("warnOnSessionAttributeFilterFailure", value);
    }

    public void setThrowOnFailure(String value) {
        settings.set("throwOnFailure", value);
    }

    /** Tomcat ignores a value below 1 without a word; here it stops the start. */
    @Override
    public void setProcessExpiresFrequency(int frequency) {
        settings.problem("processExpiresFrequency", frequency >= 1 ? null
                : ManagerSettings.badValue("processExpiresFrequency", String.valueOf(frequency), "1 or more"));
        super.setProcessExpiresFrequency(frequency);
    }

    @Override
    public void setMaxActiveSessions(int max) {
        settings.problem("maxActiveSessions", max >= -1 ? null
                : ManagerSettings.badValue("maxActiveSessions", String.valueOf(max), "-1 (no limit) or more"));
        super.setMaxActiveSessions(max);
    }

    /** An invalid regular expression only makes Tomcat's digester log a warning; here it stops the start. */
    @Override
    public void setSessionAttributeNameFilter(String filter) {
        patternSetting("sessionAttributeNameFilter", filter, super::setSessionAttributeNameFilter);
    }

    @Override
    public void setSessionAttributeValueClassNameFilter(String filter) {
        patternSetting("sessionAttributeValueClassNameFilter", filter, super::setSessionAttributeValueClassNameFilter);
    }

    private void patternSetting(String name, String filter, Consumer<String> setter) {
        settings.problem(name, null);
        try {
            setter.accept(filter);
        } catch (PatternSyntaxException e) {
            settings.problem(name, ManagerSettings.badValue(name, filter,
                    "a Java regular expression (" + e.getDescription() + ")"));
        }
    }

    /** The value recorded for a cluster setting, or null. */
    public String getProperty(String name) {
        return settings.get(name);
    }

    /**
     * Validates the settings recorded so far exactly as {@link #start()} will, without starting anything: lets an
     * embedding (Spring Boot) fail before Tomcat starts, with the same message, where Tomcat itself would only log a
     * context that failed to start.
     *
     * @throws LifecycleException whose message names the context and lists every problem
     */
    public void validateSettings() throws LifecycleException {
        String contextName = contextName();
        Map<String, SessionStoreProvider> providers = providers(contextName);
        settings.validate(contextName, providers);
    }

    /** What this manager has done since it was created: for monitoring. */
    public ManagerStatistics getStatistics() {
        return counters.snapshot(getActiveSessions());
    }

    /**
     * The store answers: asks it for the version of a session id that does not exist (one cheap round trip).
     *
     * @throws IllegalStateException if the manager is not started
     * @throws StoreException        if the store does not answer
     */
    public void pingStore() {
        ClusterRuntime rt = runtime;
        if (rt == null) {
            throw new IllegalStateException("the session manager of context [" + contextName() + "] is not started");
        }
        rt.store.version(PING_ID);
    }

    StatisticsCounters counters() {
        return counters;
    }

    @Override
    public String getName() {
        return "ClusteredSessionManager";
    }

    /** The store providers on this library's class path; a broken service file fails the start like bad settings. */
    private static Map<String, SessionStoreProvider> providers(String contextName) throws LifecycleException {
        try {
            return SessionStores.discover(ClusteredSessionManager.class.getClassLoader());
        } catch (RuntimeException e) {
            throw new LifecycleException(sm.getString("manager.configInvalid", contextName, e.getMessage()), e);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void startInternal() throws LifecycleException {
        super.startInternal();
        String contextName = contextName();
        Map<String, SessionStoreProvider> providers = providers(contextName);
        ClusterConfig config = settings.validate(contextName, providers);
        // A store may look up the application's JNDI resources when it opens (the jdbc store's dataSourceName), and
        // Tomcat resolves java:comp/env through the thread context loader, which the store calls replace: bind the
        // application's naming context to this thread itself while the store opens.
        boolean namingBound = bindNaming();
        try {
            runtime = ClusterRuntime.open(this, copies, config, providers.get(config.store()), applicationLoader(),
                    getContext().getResources(), contextName);
        } finally {
            if (namingBound) {
                ContextBindings.unbindThread(getContext(), getContext().getNamingToken());
            }
        }
        runtime.store.subscribeEvictions(new LocalEvictions(copies));
        installValve(getContext());
        if (config.writeMode() == WriteMode.SYNC && config.holdResponse()) {
            ResponseHoldingFilter.installFirst(getContext()); // before Tomcat starts the application's filters
        } else {
            ResponseHoldingFilter.uninstall(getContext());
        }
        log.info(sm.getString("manager.started", contextName, config.store(), config.writeMode(),
                Boolean.valueOf(config.sticky()), config.codec()));
        jmx = JmxRegistration.register(this);
        setState(LifecycleState.STARTING);
    }

    /** Binds the application's naming context to this thread; false if it was bound already or naming is off. */
    private boolean bindNaming() {
        if (ContextBindings.isThreadBound()) {
            return false;
        }
        try {
            ContextBindings.bindThread(getContext(), getContext().getNamingToken());
            return true;
        } catch (NamingException e) {
            return false; // naming disabled for this context: there is nothing to look up
        }
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        setState(LifecycleState.STOPPING);
        if (jmx != null) {
            jmx.unregister();
            jmx = null;
        }
        // The valve stays in the pipeline (see installValve) and passes requests through until the next start.
        ClusterRuntime rt = runtime;
        int released = 0;
        if (rt != null) {
            rt.flush();
        }
        for (Session session : localSessions()) {
            // The session lives on in the store, so no sessionDestroyed; but this node's objects go away, which
            // its attributes hear about as StandardManager's do when it unloads (sessionWillPassivate).
            if (session instanceof ClusteredSession cs && cs.isUsable()) {
                cs.passivate();
            }
            remove(session, false);
            released++;
        }
        if (rt != null) {
            runtime = null;
            rt.closeStore();
        }
        log.info(sm.getString("manager.stopped", contextName(), Integer.valueOf(released)));
        super.stopInternal();
    }

    /**
     * Joins a context and installs the valve in its pipeline right away. Why not at start, where the lifecycle
     * would suggest: Tomcat adds the context's authenticator (which looks up the session) at configure-start,
     * before it starts the manager, and the valve must run before anything touches the session. The valve stays
     * for as long as the manager belongs to the context, across restarts, and passes requests through while the
     * manager is stopped.
     */
    @Override
    public void setContext(Context context) {
        Context old = getContext();
        super.setContext(context);
        if (old != null && old != context && valve != null) {
            old.getPipeline().removeValve(valve);
            valve = null;
        }
        if (context != null) {
            installValve(context);
        }
    }

    private synchronized void installValve(Context context) {
        valve = SessionClusterValve.installIn(context, this, valve);
    }

    /** Sessions live in the store; there is nothing to load at start. */
    @Override
    public void load() {
    }

    /** Sessions live in the store; there is nothing to save at stop. */
    @Override
    public void unload() {
    }

    // ---------------------------------------------------------------- sessions

    @Override
    protected StandardSession getNewSession() {
        return new ClusteredSession(this);
    }

    ClusteredSession newSession() {
        return (ClusteredSession) getNewSession();
    }

    @Override
    public Session createSession(String sessionId) {
        // Tomcat may offer the client's id for reuse; never adopt one that is not well formed.
        String id = sessionId != null && SessionIds.isWellFormed(sessionId) ? sessionId : null;
        Session session = super.createSession(id);
        ((ClusteredSession) session).markCreated();
        return session;
    }

    @Override
    public Session findSession(String id) throws IOException {
        if (id == null) {
            return null;
        }
        ClusterRuntime rt = runtime;
        RequestScope scope = scopes.get();
        if (rt == null || (scope != null && scope.isVerified(id))) {
            ClusteredSession resolved = scope == null ? null : scope.verifiedSession(id);
            return resolved != null ? resolved : super.findSession(id);
        }
        if (!SessionIds.isWellFormed(id)) {
            warnMalformed(id);
            return null;
        }
        try {
            return rt.resolver.resolve(id);
        } catch (StoreUnavailableException e) {
            // Reached outside the valve's check (another valve asked first): serve a local copy if there is one.
            storeFailedInThisRequest();
            warnUnavailable("loading", id, e);
            ClusteredSession local = copies.get(SessionIds.baseId(id));
            if (local != null && local.isUsable()) {
                return local;
            }
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void add(Session session) {
        super.add(session);
        if (session instanceof ClusteredSession cs) {
            copies.added(cs);
        }
    }

    @Override
    public void remove(Session session, boolean update) {
        String id = session.getIdInternal();
        if (id == null) {
            return;
        }
        // Only if this very object is registered: a replaced or detached copy must not evict its successor.
        if (sessions.get(id) == session) {
            super.remove(session, update);
        }
        if (session instanceof ClusteredSession cs) {
            copies.removed(id, cs);
        }
    }

    /**
     * Moves the session to a new id. A new base id is moved in the store first, synchronously and atomically, so
     * the old id stops working everywhere; a change of route only (failover) is local.
     */
    @Override
    protected void changeSessionId(Session session, String newId, boolean notifySessionListeners,
                                   boolean notifyContainerListeners) {
        String oldId = session.getIdInternal();
        ClusterRuntime rt = runtime;
        if (rt != null && oldId != null && session instanceof ClusteredSession cs
                && !SessionIds.baseId(oldId).equals(SessionIds.baseId(newId))) {
            cs.writeLock.lock();
            try {
                rt.renames.move(cs, SessionIds.baseId(oldId), SessionIds.baseId(newId));
                super.changeSessionId(session, newId, notifySessionListeners, notifyContainerListeners);
            } catch (StoreException e) {
                storeFailedInThisRequest();
                warnUnavailable("renaming", oldId, e);
                throw new IllegalStateException(sm.getString("manager.changeIdUnavailable"), e);
            } finally {
                cs.writeLock.unlock();
            }
        } else {
            super.changeSessionId(session, newId, notifySessionListeners, notifyContainerListeners);
            if (session instanceof ClusteredSession cs) {
                AuthReplication.routeChanged(cs, oldId, newId);
            }
        }
        RequestScope scope = scopes.get();
        if (scope != null && scope.isVerified(oldId)) {
            scope.verified(newId, session instanceof ClusteredSession cs ? cs : null);
        }
    }

    /** {@code invalidate()}: deletes the session from the store, synchronously in every write mode. */
    void deleteFromStore(ClusteredSession session) {
        ClusterRuntime rt = runtime;
        if (rt == null) {
            return;
        }
        session.writeLock.lock();
        try {
            if (!rt.renames.delete(session)) {
                storeFailedInThisRequest();
            }
        } finally {
            session.writeLock.unlock();
        }
    }

    /**
     * Expiring a session by hand (JMX, the manager application) ends it in the whole cluster: a local copy deletes it
     * from the store as it expires ({@link ClusteredSession#expire()}); a session this node does not hold is loaded
     * and ended with its listeners.
     */
    @Override
    public void expireSession(String sessionId) {
        ClusterRuntime rt = runtime;
        if (sessions.get(sessionId) == null && rt != null && sessionId != null && SessionIds.isWellFormed(sessionId)) {
            rt.users.end(SessionIds.baseId(sessionId));
            return;
        }
        super.expireSession(sessionId);
    }

    // ---------------------------------------------------------------- a user's sessions, the whole cluster's

    /**
     * The ids (without route) of this context's live sessions, on every node, whose user is {@code principalName}:
     * the container login's name, or the {@code principalAttribute}'s. Empty for a name that has none.
     *
     * @throws IllegalStateException if the manager is not started
     * @throws io.sessioncluster.core.store.StoreException if the store does not answer
     */
    public Set<String> findSessionIdsOf(String principalName) {
        return started().users.idsOf(principalName);
    }

    /**
     * Ends every session of {@code principalName} on every node ("log out everywhere"), each with its listeners, as an
     * {@code invalidate()} would.
     *
     * @return how many sessions this call ended
     * @throws IllegalStateException if the manager is not started
     * @throws io.sessioncluster.core.store.StoreException if the store does not answer
     */
    public int expireSessionsOf(String principalName) {
        return started().users.endAll(principalName);
    }

    /**
     * The principal attribute: the session attribute that names the user when there is no container login (its value
     * a {@code String}, a {@link java.security.Principal}, or an object whose {@code getAuthentication()} returns one,
     * such as Spring Security's {@code SPRING_SECURITY_CONTEXT}); empty for none. Read when the manager starts.
     */
    public void setPrincipalAttribute(String attribute) {
        this.principalAttribute = attribute == null ? "" : attribute.trim();
    }

    public String getPrincipalAttribute() {
        return principalAttribute;
    }

    /**
     * The most sessions Tomcat's manager application lists for this context: this node's, then the rest of the
     * cluster's, walked from the store in pages. From 0 (this node's only) to 100,000.
     */
    public void setListLimit(int limit) {
        if (limit < 0 || limit > 100_000) {
            throw new IllegalArgumentException("listLimit is from 0 to 100000, not " + limit);
        }
        this.listLimit = limit;
    }

    public int getListLimit() {
        return listLimit;
    }

    /**
     * This node's sessions; for Tomcat's manager application (the only caller outside the library's own code that
     * lists sessions) also the cluster's, up to {@code listLimit}, so that its sessions page and its expiry of idle
     * sessions see and end every session of the context.
     */
    @Override
    public Session[] findSessions() {
        Session[] local = super.findSessions();
        ClusterRuntime rt = runtime;
        if (rt == null || listLimit <= local.length || !ClusterListing.calledByManagerApplication()) {
            return local;
        }
        return rt.listing.withClusterSessions(local, listLimit);
    }

    /** This node's own copies, whoever asks. */
    Session[] localSessions() {
        return super.findSessions();
    }

    private ClusterRuntime started() {
        ClusterRuntime rt = runtime;
        if (rt == null) {
            throw new IllegalStateException("the session manager of context [" + contextName() + "] is not started");
        }
        return rt;
    }

    /** Expiry is decided by the store, once for the whole cluster: see {@link ExpiryProcessor}. */
    @Override
    public void processExpires() {
        ClusterRuntime rt = runtime;
        if (rt == null) {
            return;
        }
        long start = System.currentTimeMillis();
        rt.expiry.run(start);
        processingTime += System.currentTimeMillis() - start;
    }

    // ---------------------------------------------------------------- the request, with the valve

    RequestScope enterRequest() {
        RequestScope scope = new RequestScope();
        scopes.set(scope);
        return scope;
    }

    void exitRequest() {
        scopes.remove();
    }

    RequestScope currentScope() {
        return scopes.get();
    }

    /**
     * Brings the requested session up to date before the application runs.
     *
     * @return the session, or null if there is none (or the id is malformed)
     * @throws StoreUnavailableException if the store is needed and down
     */
    ClusteredSession prepareRequest(String requestedId, RequestScope scope) {
        if (!SessionIds.isWellFormed(requestedId)) {
            warnMalformed(requestedId);
            scope.verified(requestedId, null); // nothing to find: findSession answers null without a second warning
            return null;
        }
        ClusterRuntime rt = runtime;
        if (rt == null) {
            scope.verified(requestedId, null);
            return null;
        }
        ClusteredSession session;
        if (rt.locks != null) {
            LockHold lock = rt.locks.enter(SessionIds.baseId(requestedId)); // may wait; 503 if it waits too long
            scope.locked(lock);
            session = lock == null ? rt.resolver.resolve(requestedId, SessionResolver.MISSING)
                    : lock.session(() -> rt.resolver.resolve(requestedId, lock.grantedVersion()));
        } else {
            session = rt.resolver.resolve(requestedId);
        }
        scope.verified(requestedId, session);
        return session;
    }

    /** The valve answers 503 before the application ran: the request's share of its session's lock ends. */
    void abandonRequest(RequestScope scope) {
        ClusterRuntime rt = runtime;
        if (rt != null) {
            rt.completion.abandon(scope);
        }
    }

    /**
     * The end of a request: writes what it changed in each session it used, or batches a touch if it only read.
     *
     * @return false if a store operation of the request failed (sync mode): the valve answers 503 if it still can
     */
    boolean requestCompleted(RequestScope scope) {
        ClusterRuntime rt = runtime;
        boolean written = rt == null || rt.completion.complete(scope, this);
        return written && !scope.hasStoreFailed();
    }

    /**
     * {@code FormAuthenticator} forwards to its login page with Tomcat's own response object, and that forward closes
     * the response: the client has the login page before the request returns to the valve. In {@code sync} mode the
     * session (its saved request, its new id) is therefore written right away, or the login form could be posted to
     * another node before the store knows the session (an HTTP 408 there).
     */
    void writeBeforeLoginForward(ClusteredSession session) {
        ClusterRuntime rt = runtime;
        RequestScope scope = scopes.get();
        if (rt == null || scope == null || rt.config.writeMode() != WriteMode.SYNC) {
            return;
        }
        if (!rt.completion.writeNow(session, scope)) {
            scope.storeFailed();
        }
    }

    /**
     * The request is answered 503: sessions it created and could not store were never acknowledged to the client
     * (the response with their cookie is discarded), so they end here instead of lingering unwritten.
     */
    void abandonUnacknowledged(RequestScope scope) {
        for (ClusteredSession session : scope.takeFailedCreates()) {
            if (session.isUsable()) {
                session.expire(true);
            }
        }
    }

    // ---------------------------------------------------------------- for the helpers

    AttributeCodec codec() {
        ClusterRuntime rt = runtime;
        if (rt == null) {
            throw new IllegalStateException("the session manager of context [" + contextName() + "] is not started");
        }
        return rt.codec;
    }

    /** This node's local copies; the request path and the store's eviction messages use them directly. */
    LocalCopies copies() {
        return copies;
    }

    /** This node just took the session over (failover): other nodes must drop their copies. Best effort. */
    void tookOver(String baseId) {
        counters.failover();
        ClusterRuntime rt = runtime;
        if (rt != null) {
            rt.store.announceEviction(baseId);
        }
    }

    private void storeFailedInThisRequest() {
        RequestScope scope = scopes.get();
        if (scope != null) {
            scope.storeFailed();
        }
    }

    void warnMalformed(String id) {
        long suppressed = warnings.permit("malformed");
        if (suppressed >= 0) {
            log.warn(sm.getString("manager.malformedId", SessionIds.redact(id), Long.valueOf(suppressed)));
        }
    }

    void warnUnavailable(String operation, String id, StoreException e) {
        long suppressed = warnings.permit("unavailable-" + operation);
        if (suppressed >= 0) {
            log.warn(sm.getString("manager.storeUnavailable", operation, SessionIds.redact(id), e.getMessage(),
                    Long.valueOf(suppressed)));
        }
    }

    String contextName() {
        Context context = getContext();
        if (context == null) {
            return "?";
        }
        String path = context.getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private ClassLoader applicationLoader() {
        Loader loader = getContext().getLoader();
        ClassLoader cl = loader == null ? null : loader.getClassLoader();
        return cl != null ? cl : ClusteredSessionManager.class.getClassLoader();
    }
}
