package io.sessioncluster.core.store;

/** A store operation failed. The message names the operation and a redacted session id, never a credential. */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
