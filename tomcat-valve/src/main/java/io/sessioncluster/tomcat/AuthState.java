package io.sessioncluster.tomcat;

import org.apache.catalina.authenticator.SavedRequest;

import java.security.Principal;

/**
 * The authentication state of a session that travels with it: the principal and auth type an authenticator
 * cached in the session, and the two notes {@code FormAuthenticator} keeps while a login is under way (the request
 * first asked for, and the session id the login was finished with). Never a password: the username and password
 * notes of {@code cache="false"} stay on the node (see {@link AuthReplication}).
 *
 * @param principal     the cached principal, or null
 * @param authType      the cached auth type ({@code FORM}, {@code BASIC}...), or null
 * @param sessionIdNote the id {@code FormAuthenticator} expects the redirect after the login to carry, or null
 * @param savedRequest  the request that led to the login page, or null
 */
record AuthState(Principal principal, String authType, String sessionIdNote, SavedRequest savedRequest) {

    static final AuthState NONE = new AuthState(null, null, null, null);

    boolean isEmpty() {
        return principal == null && authType == null && sessionIdNote == null && savedRequest == null;
    }
}
