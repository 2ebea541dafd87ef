package io.sessioncluster.tomcat;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.AttributeCodecs;
import io.sessioncluster.core.codec.CodecException;
import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.CoreSettings;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.authenticator.SingleSignOn;
import org.apache.catalina.authenticator.SingleSignOnEntry;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.session.ManagerBase;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.io.IOException;
import java.security.Principal;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tomcat's {@link SingleSignOn} for a cluster: the entries live in a {@link io.sessioncluster.core.store.SessionStore}
 * of their own (see {@link SsoEntries} for the layout), so a user logged in to one application on one node is logged
 * in to every application of the host on every node, and a logout anywhere ends every associated session everywhere.
 *
 * <pre>{@code <Host ...>
 *   <Valve className="io.sessioncluster.tomcat.ClusteredSingleSignOn"
 *          store="redis" redisUri="redis://127.0.0.1:6379" keyPrefix="sso:"/>
 * </Host>}</pre>
 *
 * <p>The store is chosen and configured with the Manager's settings ({@code store} and the store's own, plus
 * {@code codec}, {@code allowedClasses}, {@code maxAttributeBytes}), with Tomcat's ({@code cookieName},
 * {@code cookieDomain}, {@code requireReauthentication}) and {@code ssoMaxInactiveSeconds}; all are validated at
 * start, and a mistake stops it with one {@link LifecycleException} listing every problem.
 *
 * <p>How Tomcat's hooks map onto the store (Tomcat's semantics are kept, see docs/sso.md):
 * <ul>
 *   <li>the lookup of {@link #invoke} (Tomcat reads its {@code cache} map) reads the store, once per request that
 *       carries the cookie; a store that does not answer is a 503, never a removed cookie;</li>
 *   <li>{@code register} creates the record, {@code associate} adds one attribute per session, {@code removeSession}
 *       removes it and ends the entry with its last session, {@code deregister} deletes the record and ends every
 *       associated session through its context's manager on this node (which, for a {@code ClusteredSessionManager},
 *       ends it in the whole cluster);</li>
 *   <li>usernames and passwords (Tomcat's entry keeps them for {@code requireReauthentication}) never reach the
 *       store; with {@code requireReauthentication="true"} they stay on the node that made the login.</li>
 * </ul>
 */
public class ClusteredSingleSignOn extends SingleSignOn {

    private static final Log log = Logs.of(ClusteredSingleSignOn.class);
    private static final StringManager sm = StringManager.getManager(ClusteredSingleSignOn.class);
    /** Core settings that mean nothing without a session manager: refused rather than silently ignored. */
    private static final Set<String> NOT_APPLICABLE = Set.of(CoreSettings.WRITE_MODE.name(), CoreSettings.STICKY.name(),
            CoreSettings.ASYNC_QUEUE_SIZE.name(), CoreSettings.ASYNC_WRITERS.name(), CoreSettings.HOLD_RESPONSE.name(),
            CoreSettings.DETECT_MUTATIONS.name());
    /** Session note: the SSO id whose listener this session object already carries (notes stay on the node). */
    private static final String LISTENING_NOTE = "io.sessioncluster.tomcat.sso";

    private final ManagerSettings settings = new ManagerSettings(this);
    private final RateLimitedLog warnings = new RateLimitedLog(10, TimeUnit.SECONDS);
    /** The entry this request's cookie names, read once at the start of the request. */
    private final ThreadLocal<Found> current = new ThreadLocal<>();
    /** Credentials of logins made on this node, for {@code requireReauthentication} only: never stored. */
    private final Map<String, Credentials> credentials = new ConcurrentHashMap<>();
    private volatile SsoEntries entries;
    private int ssoMaxInactiveSeconds = 1800;

    private record Found(String key, Optional<SsoEntries.Entry> entry) {
    }

    private record Credentials(String username, String password) {
    }

    public ClusteredSingleSignOn() {
        cache = new StoreView();
    }

    // ---------------------------------------------------------------- settings

    /**
     * Sets one setting by name, as Tomcat's digester does for attributes without a setter. Problems are reported
     * when the valve starts, all at once.
     *
     * @return always true: the value was recorded
     */
    public boolean setProperty(String name, String value) {
        settings.set(name, value);
        return true;
    }

    /** The value recorded for a store setting, or null. */
    public String getProperty(String name) {
        return settings.get(name);
    }

    /** The digester would turn anything but "true" into false; the text is validated instead. */
    public void setRequireReauthentication(String value) {
        settings.set("requireReauthentication", value);
    }

    /** The shortest idle time after which an entry ends in the store; an associated session's longer timeout wins. */
    public void setSsoMaxInactiveSeconds(int seconds) {
        settings.problem("ssoMaxInactiveSeconds", seconds >= 60 ? null
                : ManagerSettings.badValue("ssoMaxInactiveSeconds", String.valueOf(seconds), "60 or more"));
        ssoMaxInactiveSeconds = seconds;
    }

    public int getSsoMaxInactiveSeconds() {
        return ssoMaxInactiveSeconds;
    }

    @Override
    public void setCookieName(String cookieName) {
        settings.problem("cookieName", isToken(cookieName) ? null
                : ManagerSettings.badValue("cookieName", cookieName, "a cookie name (letters, digits, - and _)"));
        super.setCookieName(cookieName);
    }

    private static boolean isToken(String name) {
        return name != null && !name.isEmpty() && name.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                || c == '-' || c == '_');
    }

    // ---------------------------------------------------------------- lifecycle

    /** Opens the store, then lets Tomcat's start (which checks the realms and sets {@code STARTING}) run last. */
    @Override
    protected synchronized void startInternal() throws LifecycleException {
        String host = hostName();
        Map<String, SessionStoreProvider> providers;
        try {
            providers = SessionStores.discover(ClusteredSingleSignOn.class.getClassLoader());
        } catch (RuntimeException e) {
            throw new LifecycleException(sm.getString("sso.configInvalid", host, e.getMessage()), e);
        }
        List<String> problems = new ArrayList<>();
        ClusterConfig config = settings.parse(providers, problems);
        for (String name : settings.raw().keySet()) {
            if (NOT_APPLICABLE.contains(name)) {
                problems.add(sm.getString("sso.settingNotApplicable", name));
            }
        }
        if (!problems.isEmpty()) {
            throw new LifecycleException(sm.getString("sso.configInvalid", host,
                    "Invalid session-cluster configuration:\n  - " + String.join("\n  - ", problems)));
        }
        AttributeCodec codec;
        try {
            codec = AttributeCodecs.create(config, loader());
        } catch (RuntimeException e) {
            throw new LifecycleException(sm.getString("sso.configInvalid", host, e.toString()), e);
        }
        SessionStoreProvider provider = providers.get(config.store());
        String name = "sso:" + host; // names the store in its log lines (and its default JGroups cluster)
        DeferredStore store;
        try {
            store = DeferredStore.open(() -> provider.open(config.storeSettings(), name),
                    () -> log.info(sm.getString("sso.storeReopened", provider.name(), host)),
                    e -> log.warn(sm.getString("sso.storeDeferred", provider.name(), host, e.getMessage())));
        } catch (RuntimeException e) {
            throw new LifecycleException(sm.getString("sso.configInvalid", host,
                    sm.getString("manager.storeOpenFailed", provider.name(), e.getMessage())), e);
        }
        entries = new SsoEntries(store, new AuthStateCodec(codec), ssoMaxInactiveSeconds);
        log.info(sm.getString("sso.started", host, provider.name()));
        super.startInternal();
    }

    @Override
    protected synchronized void stopInternal() throws LifecycleException {
        super.stopInternal();
        SsoEntries open = entries;
        entries = null;
        if (open != null) {
            open.close();
        }
        credentials.clear();
    }

    /** Touches batched since the last run, and the sweep of abandoned entries. */
    @Override
    public void backgroundProcess() {
        SsoEntries open = entries;
        if (open != null) {
            open.maintain(System.currentTimeMillis());
        }
    }

    // ---------------------------------------------------------------- the request

    /**
     * Reads the entry the cookie names before Tomcat's lookup asks for it: a store that does not answer is a 503
     * here, where Tomcat would take the entry for gone and remove the user's cookie.
     */
    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String cookie = request.getUserPrincipal() == null ? cookieValue(request) : null;
        if (cookie != null) {
            try {
                String key = SsoEntries.keyOf(cookie);
                if (key == null) {
                    warn("malformed", sm.getString("sso.malformedId", SessionIds.redact(cookie)));
                }
                current.set(new Found(cookie, key == null ? Optional.empty() : open().find(key)));
            } catch (StoreUnavailableException e) {
                warn("unavailable", sm.getString("sso.storeUnavailable", "reading", SessionIds.redact(cookie),
                        e.getMessage()));
                response.setHeader("Retry-After", "1");
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
                return;
            }
        }
        try {
            super.invoke(request, response);
        } finally {
            current.remove();
        }
    }

    private String cookieValue(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (getCookieName().equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    /** The entry of {@code ssoId}: the one this request read, or from the store; empty when gone or unreadable. */
    private Optional<SsoEntries.Entry> entry(String ssoId) {
        Found found = current.get();
        if (found != null && found.key().equals(ssoId)) {
            return found.entry();
        }
        String key = SsoEntries.keyOf(ssoId);
        SsoEntries open = entries;
        if (key == null || open == null) {
            return Optional.empty();
        }
        try {
            return open.find(key);
        } catch (StoreUnavailableException e) {
            warn("unavailable", sm.getString("sso.storeUnavailable", "reading", SessionIds.redact(ssoId),
                    e.getMessage()));
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- Tomcat's hooks

    @Override
    protected void register(String ssoId, Principal principal, String authType, String username, String password) {
        String key = SsoEntries.keyOf(ssoId);
        if (key == null) {
            return; // not Tomcat's generator: nothing is stored under an id that is not well formed
        }
        try {
            SsoEntries.Entry created = open().create(key, principal, authType);
            current.set(new Found(ssoId, Optional.of(created)));
            if (getRequireReauthentication() && username != null) {
                credentials.put(key, new Credentials(username, password));
            }
        } catch (CodecException | StoreException e) {
            warn("register", sm.getString("sso.registerFailed", principal == null ? "" : principal.getName(),
                    e.getMessage()));
        }
    }

    @Override
    protected boolean update(String ssoId, Principal principal, String authType, String username, String password) {
        Optional<SsoEntries.Entry> entry = entry(ssoId);
        if (entry.isEmpty() || canReauthenticate(entry.get().authType())) {
            return false;
        }
        try {
            open().update(entry.get(), principal, authType);
        } catch (CodecException | StoreException e) {
            warn("update", sm.getString("sso.writeFailed", "updating", SessionIds.redact(ssoId), e.getMessage()));
            return false;
        }
        if (getRequireReauthentication() && username != null) {
            credentials.put(SsoEntries.keyOf(ssoId), new Credentials(username, password));
        }
        current.remove();
        return true;
    }

    /**
     * Called by the authenticator on every request it authenticates through the entry: a store write only the first
     * time a session is seen with it (on any node), a listener on each local session object once.
     */
    @Override
    protected boolean associate(String ssoId, Session session) {
        Optional<SsoEntries.Entry> entry = entry(ssoId);
        if (entry.isEmpty()) {
            return false;
        }
        SsoSession key = SsoSession.of(session);
        if (!entry.get().has(key)) {
            try {
                open().associate(entry.get(), key, session.getMaxInactiveInterval(), null);
            } catch (StoreException e) {
                warn("associate", sm.getString("sso.writeFailed", "associating a session with",
                        SessionIds.redact(ssoId), e.getMessage()));
            }
        }
        listenTo(ssoId, session);
        return true;
    }

    private void listenTo(String ssoId, Session session) {
        if (!ssoId.equals(session.getNote(LISTENING_NOTE))) {
            session.setNote(LISTENING_NOTE, ssoId);
            session.addSessionListener(getSessionListener(ssoId));
        }
    }

    @Override
    protected void sessionChangedId(String ssoId, Session session, String oldSessionId) {
        Optional<SsoEntries.Entry> entry = entry(ssoId);
        if (entry.isEmpty()) {
            return;
        }
        try {
            open().associate(entry.get(), SsoSession.of(session), session.getMaxInactiveInterval(),
                    SsoSession.of(session, oldSessionId));
        } catch (StoreException e) {
            warn("associate", sm.getString("sso.writeFailed", "renaming a session of", SessionIds.redact(ssoId),
                    e.getMessage()));
        }
    }

    /**
     * Tomcat's rule: a session that timed out (or whose context stopped) leaves the entry, which ends with its last
     * session; a session invalidated (a logout) ends the entry and every session associated with it.
     */
    @Override
    public void sessionDestroyed(String ssoId, Session session) {
        if (!getState().isAvailable()) {
            return;
        }
        boolean timedOut = session.getMaxInactiveInterval() > 0
                && session.getIdleTimeInternal() >= session.getMaxInactiveInterval() * 1000L;
        if (timedOut || !session.getManager().getContext().getState().isAvailable()) {
            removeSession(ssoId, session);
        } else {
            end(ssoId, SsoSession.of(session)); // that one is ending already
        }
    }

    @Override
    protected void removeSession(String ssoId, Session session) {
        String key = SsoEntries.keyOf(ssoId);
        if (key == null || entries == null) {
            return;
        }
        try {
            Optional<SsoEntries.Entry> left = open().dissociate(key, SsoSession.of(session));
            if (left.isPresent() && left.get().sessions().isEmpty()) {
                deregister(ssoId);
            }
        } catch (StoreException e) {
            warn("remove", sm.getString("sso.writeFailed", "removing a session from", SessionIds.redact(ssoId),
                    e.getMessage()));
        }
    }

    /** Deletes the entry, then ends every session associated with it, in every context of the host. */
    @Override
    protected void deregister(String ssoId) {
        end(ssoId, null);
    }

    /** {@link #deregister}, except for the session {@code ending} (or null), whose end brought this about. */
    private void end(String ssoId, SsoSession ending) {
        String key = SsoEntries.keyOf(ssoId);
        if (key == null || entries == null) {
            return;
        }
        credentials.remove(key);
        current.remove();
        Optional<SsoEntries.Entry> deleted;
        try {
            deleted = open().delete(key);
        } catch (StoreException e) {
            warn("deregister", sm.getString("sso.writeFailed", "deleting", SessionIds.redact(ssoId), e.getMessage()));
            return;
        }
        deleted.ifPresent(entry -> entry.sessions().stream().filter(s -> ending == null || !s.sameSession(ending))
                .forEach(this::end));
    }

    /**
     * Ends one associated session through its context's manager: {@code findSession} loads it from the store if this
     * node has no copy, and {@code expireSession} of a {@code ClusteredSessionManager} deletes it from the store
     * before its listeners fire (as its sessions' own {@code expire()} does; another manager's would end that copy
     * only).
     */
    private void end(SsoSession key) {
        Manager manager = managerOf(key);
        if (manager == null) {
            return;
        }
        try {
            Session session = manager.findSession(key.sessionId());
            if (session == null) {
                return; // already ended (timed out, or invalidated elsewhere)
            }
            if (manager instanceof ManagerBase base) {
                base.expireSession(session.getIdInternal());
            } else {
                session.expire();
            }
        } catch (IOException | RuntimeException e) {
            warn("end", sm.getString("sso.endFailed", key, e.toString()));
        }
    }

    private Manager managerOf(SsoSession key) {
        Container engine = getContainer();
        while (engine != null && !(engine instanceof Engine)) {
            engine = engine.getParent();
        }
        Container host = engine == null ? null : engine.findChild(key.hostName());
        Container context = host == null ? null : host.findChild(key.contextName());
        if (!(context instanceof Context c) || c.getManager() == null) {
            log.debug(sm.getString("sso.contextNotFound", key));
            return null;
        }
        return c.getManager();
    }

    // ---------------------------------------------------------------- helpers

    private SsoEntries open() {
        SsoEntries open = entries;
        if (open == null) {
            throw new StoreUnavailableException("single sign-on of host [" + hostName() + "] is not started", null);
        }
        return open;
    }

    private static boolean canReauthenticate(String authType) {
        return HttpServletRequest.BASIC_AUTH.equals(authType) || HttpServletRequest.FORM_AUTH.equals(authType);
    }

    private void warn(String kind, String message) {
        long suppressed = warnings.permit(kind);
        if (suppressed >= 0) {
            log.warn(suppressed == 0 ? message : sm.getString("sso.suppressed", message, Long.valueOf(suppressed)));
        }
    }

    private String hostName() {
        Container container = getContainer();
        return container == null ? "?" : container.getName();
    }

    private ClassLoader loader() {
        Container container = getContainer();
        ClassLoader parent = container == null ? null : container.getParentClassLoader();
        return parent != null ? parent : ClusteredSingleSignOn.class.getClassLoader();
    }

    /**
     * What Tomcat's own code reads as {@code cache}: its lookups ({@code invoke}, {@code reauthenticate},
     * {@code populateRequestFromSsoEntry}) go to the store. Every method that changes entries is overridden above,
     * so this view is never written to, and it cannot list the store's entries.
     */
    private final class StoreView extends AbstractMap<String, SingleSignOnEntry> {

        @Override
        public SingleSignOnEntry get(Object key) {
            if (!(key instanceof String ssoId)) {
                return null;
            }
            Optional<SsoEntries.Entry> entry = entry(ssoId);
            if (entry.isEmpty()) {
                return null;
            }
            Credentials local = credentials.get(SsoEntries.keyOf(ssoId));
            return new SingleSignOnEntry(entry.get().principal(), entry.get().authType(),
                    local == null ? null : local.username(), local == null ? null : local.password());
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Map.Entry<String, SingleSignOnEntry>> entrySet() {
            return Set.of();
        }
    }
}
