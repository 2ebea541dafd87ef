package io.sessioncluster.core.store;

/** The backend could not be reached or did not answer within the configured timeout. */
public class StoreUnavailableException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
