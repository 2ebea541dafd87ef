package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.apache.catalina.Context;
import org.apache.catalina.Session;

import java.io.IOException;

/**
 * One session associated with a single sign-on entry: where it lives (host and context name, as Tomcat's
 * {@code SingleSignOnSessionKey} names them) and its id as the associating node saw it (route included, which
 * {@code findSession} accepts on any node).
 *
 * <p>In the store each association is one attribute of the entry's record, named after the base id so that a change
 * of route alone replaces it instead of adding a second one; the value repeats the three fields (length-prefixed, so
 * no character of a context name needs escaping). One attribute per session is what lets two nodes associate
 * sessions with one entry at the same time: the stores merge writes per attribute.
 */
record SsoSession(String hostName, String contextName, String sessionId) {

    static final String ATTRIBUTE_PREFIX = "session:";
    private static final int VERSION = 1;

    static SsoSession of(Session session) {
        return of(session, session.getIdInternal());
    }

    /** {@code session}'s place with another id (its id before a change). */
    static SsoSession of(Session session, String sessionId) {
        Context context = session.getManager().getContext();
        return new SsoSession(context.getParent().getName(), context.getName(), sessionId);
    }

    String attributeName() {
        return ATTRIBUTE_PREFIX + hostName + '|' + contextName + '|' + SessionIds.baseId(sessionId);
    }

    boolean sameSession(SsoSession other) {
        return attributeName().equals(other.attributeName());
    }

    byte[] encode() {
        try {
            AuthBytes.Out out = new AuthBytes.Out();
            out.integer(VERSION);
            out.string(hostName);
            out.string(contextName);
            out.string(sessionId);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // an in-memory stream does not fail
        }
    }

    /** @throws AuthBytes.Malformed for bytes not in this format, or an id that is not well formed */
    static SsoSession decode(byte[] bytes) throws AuthBytes.Malformed {
        AuthBytes.In in = new AuthBytes.In(bytes, 0);
        int version = in.integer();
        if (version != VERSION) {
            throw new AuthBytes.Malformed("format version " + version);
        }
        SsoSession session = new SsoSession(in.requiredString(), in.requiredString(), in.requiredString());
        in.end();
        if (!SessionIds.isWellFormed(session.sessionId)) {
            throw new AuthBytes.Malformed("malformed session id");
        }
        return session;
    }

    @Override
    public String toString() {
        return "[" + hostName + "] [" + contextName + "] [" + SessionIds.redact(sessionId) + "]";
    }
}
