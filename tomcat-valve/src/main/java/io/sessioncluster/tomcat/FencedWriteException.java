package io.sessioncluster.tomcat;

import io.sessioncluster.core.store.StoreException;

/**
 * A write under a lock that another node took after its lease ran out: refused by the store, so this node's older
 * state cannot overwrite the newer one. The request is answered 503; its changes are dropped with the local copy.
 */
final class FencedWriteException extends StoreException {

    private static final long serialVersionUID = 1L;

    FencedWriteException(String message) {
        super(message);
    }
}
