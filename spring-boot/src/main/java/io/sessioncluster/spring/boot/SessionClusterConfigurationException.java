package io.sessioncluster.spring.boot;

/**
 * The {@code session-cluster.*} properties are invalid: the start of the application stops. The message lists every
 * problem, each followed by the property it came from.
 */
public final class SessionClusterConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    SessionClusterConfigurationException(String message) {
        super(message);
    }
}
