package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.codec.CodecException;

import org.apache.catalina.authenticator.Constants;
import org.apache.catalina.authenticator.SavedRequest;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which authentication state of a session travels with it, and how it is taken from and put back into a session.
 *
 * <ul>
 *   <li>the principal and auth type an authenticator cached in the session ({@code cache="true"}, Tomcat's
 *       default), unless {@code persistAuthentication="false"}: then they stay on the node that made the login, as
 *       Tomcat keeps them out of a persisted session;</li>
 *   <li>the notes {@code FormAuthenticator} keeps during a login: the saved request and the expected session id,
 *       so a login begun on one node can be finished on another;</li>
 *   <li>never the username and password notes that {@code FormAuthenticator} keeps with {@code cache="false"}: they
 *       stay on the node, and survive a reload of the session there, so on failover such a user logs in again.</li>
 * </ul>
 */
final class AuthReplication {

    private static final Log log = Logs.of(AuthReplication.class);
    private static final StringManager sm = StringManager.getManager(AuthReplication.class);
    private static final RateLimitedLog leftOut = new RateLimitedLog(60, TimeUnit.SECONDS);

    /** The notes that travel: a login in progress, nothing secret. */
    private static final Set<String> REPLICATED_NOTES = Set.of(Constants.FORM_REQUEST_NOTE, Constants.SESSION_ID_NOTE);
    /** Notes that never leave the node (they hold the password), kept across a reload of the local copy. */
    private static final Set<String> LOCAL_NOTES = Set.of(Constants.SESS_USERNAME_NOTE, Constants.SESS_PASSWORD_NOTE);

    private final AuthStateCodec codec;
    private final boolean persistAuthentication;

    AuthReplication(AuthStateCodec codec, boolean persistAuthentication) {
        this.codec = codec;
        this.persistAuthentication = persistAuthentication;
    }

    /**
     * True for the notes {@code FormAuthenticator} sets right before it forwards to the login page: the saved
     * request, then (with {@code changeSessionIdOnAuthentication}, the default) the session's new id. That forward
     * sends the page before the request ends, so the session is written when either note is set
     * ({@link ClusteredSessionManager#writeBeforeLoginForward}).
     */
    static boolean precedesLoginForward(String name) {
        return REPLICATED_NOTES.contains(name);
    }

    /** True if setting or removing this note changes what travels with the session. */
    static boolean isReplicatedNote(String name) {
        return name != null && REPLICATED_NOTES.contains(name);
    }

    /**
     * The stored form of the session's auth state, or null if there is none to store (the attribute is then
     * removed). A principal the allow-list refuses is not replicated (logged): the login stays on this node, the
     * notes still travel.
     */
    byte[] encode(ClusteredSession session) {
        AuthState state = stateOf(session);
        if (state.isEmpty()) {
            return null;
        }
        try {
            return codec.encode(state);
        } catch (CodecException e) {
            long suppressed = leftOut.permit("principal");
            if (suppressed >= 0) {
                log.warn(sm.getString("manager.authNotReplicated", SessionIds.redact(session.getIdInternal()),
                        e.getMessage(), Long.valueOf(suppressed)));
            }
            AuthState notesOnly = new AuthState(null, null, state.sessionIdNote(), state.savedRequest());
            return notesOnly.isEmpty() ? null : codec.encode(notesOnly);
        }
    }

    AuthState stateOf(ClusteredSession session) {
        Object savedRequest = session.getNote(Constants.FORM_REQUEST_NOTE);
        Object sessionIdNote = session.getNote(Constants.SESSION_ID_NOTE);
        return new AuthState(
                persistAuthentication ? session.getPrincipal() : null,
                persistAuthentication ? session.getAuthType() : null,
                sessionIdNote instanceof String s ? s : null,
                savedRequest instanceof SavedRequest r ? r : null);
    }

    /**
     * Decodes the stored auth state of a session being loaded; bytes that cannot be read leave the session
     * unauthenticated (the user logs in again), logged, never a failed request.
     */
    AuthState decode(String sessionId, byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (CodecException e) {
            log.warn(sm.getString("manager.authDropped", SessionIds.redact(sessionId), e.reason(), e.getMessage()));
            return AuthState.NONE;
        }
    }

    /**
     * A fresh copy of a session replaces {@code previous} on this node: what never travels (the {@code cache="false"}
     * notes, and with {@code persistAuthentication="false"} the principal and auth type) is taken over from it.
     */
    void keepLocalParts(ClusteredSession previous, ClusteredSession fresh) {
        for (String note : LOCAL_NOTES) {
            Object value = previous.getNote(note);
            if (value != null) {
                fresh.restoreNote(note, value);
            }
        }
        if (!persistAuthentication && fresh.getPrincipal() == null) {
            fresh.restoreAuth(new AuthState(previous.getPrincipal(), previous.getAuthType(), null, null));
        }
    }

    /**
     * A node took the session over and gave it its own route ({@code SessionClusterValve}), which also changes the
     * request's requested id. {@code FormAuthenticator} finishes a login only if the requested id equals the one it
     * noted when it showed the login page, so a login begun on another node follows the route, or it would answer
     * 408 here.
     */
    static void routeChanged(ClusteredSession session, String oldId, String newId) {
        if (oldId != null && oldId.equals(session.getNote(Constants.SESSION_ID_NOTE))) {
            session.setNote(Constants.SESSION_ID_NOTE, newId);
        }
    }

    static void warnLeftOut(String className, CodecException e) {
        long suppressed = leftOut.permit(className);
        if (suppressed >= 0) {
            log.warn(sm.getString("manager.authPartLeftOut", className, e.getMessage(), Long.valueOf(suppressed)));
        }
    }
}
