package io.sessioncluster.tomcat;

import io.sessioncluster.core.Loggers;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

/** JULI loggers bound to this library's class loader, so a redeployed application does not silence them. */
final class Logs {

    private Logs() {
    }

    /** See {@link Loggers}: created with {@code owner}'s class loader as the thread's context class loader. */
    static Log of(Class<?> owner) {
        return Loggers.created(owner, () -> LogFactory.getLog(owner));
    }
}
