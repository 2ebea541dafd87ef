package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Access times of sessions that requests read without changing, kept one per session (the latest) and sent to
 * the store in one batch by the manager's flusher, about once a second, before each expiry check and at stop.
 * A read-only request therefore costs no store round trip.
 */
final class TouchBatcher {

    private static final Log log = Logs.of(TouchBatcher.class);
    private static final StringManager sm = StringManager.getManager(TouchBatcher.class);

    private final SessionStore store;
    private final StoreClock clock;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final RateLimitedLog failures = new RateLimitedLog(30, TimeUnit.SECONDS);

    TouchBatcher(SessionStore store) {
        this(store, StoreClock.local());
    }

    TouchBatcher(SessionStore store, StoreClock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @param lastAccessedTime on this node's clock; sent on the store's */
    void touch(String id, long lastAccessedTime) {
        pending.merge(id, Long.valueOf(clock.toStore(lastAccessedTime)), Math::max);
    }

    /** The session was deleted or moved: a pending touch for its old id is pointless. */
    void forget(String id) {
        pending.remove(id);
    }

    /** Sends what is pending; on failure keeps it for the next flush. Never throws. */
    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Touch> batch = new ArrayList<>(pending.size());
        for (Map.Entry<String, Long> e : pending.entrySet()) {
            batch.add(new Touch(e.getKey(), e.getValue().longValue()));
        }
        try {
            store.touch(batch);
            // Keep entries a request refreshed while the batch was being written.
            for (Touch t : batch) {
                pending.remove(t.id(), Long.valueOf(t.lastAccessedTime()));
            }
        } catch (StoreException e) {
            long suppressed = failures.permit("touch");
            if (suppressed >= 0) {
                log.warn(sm.getString("manager.touchFailed", Integer.valueOf(batch.size()), e.getMessage(),
                        Long.valueOf(suppressed)));
            }
        }
    }
}
