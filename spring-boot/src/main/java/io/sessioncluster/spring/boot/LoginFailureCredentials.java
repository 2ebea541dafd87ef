package io.sessioncluster.spring.boot;

import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.CredentialsContainer;

/**
 * Erases the password a failed login's exception carries before the session goes to the store. Spring Security keeps
 * that exception in the session for the login page ({@code SPRING_SECURITY_LAST_EXCEPTION}), and since 6.5 the
 * exception holds the login attempt ({@code getAuthenticationRequest()}), typed password included: harmless in one
 * JVM's memory, not in a shared store. The session is written after the request, so erasing it here, as it is set,
 * keeps it out of every write.
 */
final class LoginFailureCredentials implements HttpSessionAttributeListener {

    @Override
    public void attributeAdded(HttpSessionBindingEvent event) {
        erase(event);
    }

    @Override
    public void attributeReplaced(HttpSessionBindingEvent event) {
        erase(event); // the event carries the old value
    }

    private static void erase(HttpSessionBindingEvent event) {
        Object value = event.getSession().getAttribute(event.getName());
        if (value instanceof AuthenticationException failure
                && failure.getAuthenticationRequest() instanceof CredentialsContainer attempt) {
            attempt.eraseCredentials();
        }
    }
}
