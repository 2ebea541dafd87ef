package io.sessioncluster.tomcat;

import io.sessioncluster.core.store.StoreUnavailableException;

/**
 * A request waited {@code lockWaitMillis} for another node to release its session's lock. A kind of unavailability:
 * the valve answers {@code 503} with {@code Retry-After} before the application runs, never an unlocked request.
 */
final class LockTimeoutException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    LockTimeoutException(long waitedMillis) {
        super("the session is in use on another node; waited " + waitedMillis + " ms (lockWaitMillis) for its lock",
                null);
    }
}
