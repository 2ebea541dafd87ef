package io.sessioncluster.tomcat;

/** Sends change sets to the store: now ({@code writeMode=sync}) or behind the response ({@code async}). */
interface SessionWriter {

    /**
     * Hands over one request's changes.
     *
     * @return false if the store could not take them now; the changes were given back to the session, and in sync
     *         mode the request is answered with 503
     */
    boolean submit(PendingWrite write);

    /** True while a write of this session is queued or in flight. */
    boolean hasPending(String id);

    /**
     * Before the session's id changes or it is deleted: waits for a write of it in flight, then writes what is
     * queued for it on the caller's thread ({@code discard} false) or drops it ({@code discard} true).
     */
    void settle(String id, boolean discard);

    /** Writes what is queued, within a bounded time, and stops. */
    void close();
}
