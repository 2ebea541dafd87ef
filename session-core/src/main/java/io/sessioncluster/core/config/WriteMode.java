package io.sessioncluster.core.config;

/** When a request's change set reaches the store. */
public enum WriteMode {
    /** Before the response is completed: an acknowledged response is never lost. */
    SYNC,
    /** Behind the response, through a bounded queue: lower latency, a crash may lose the last writes. */
    ASYNC
}
