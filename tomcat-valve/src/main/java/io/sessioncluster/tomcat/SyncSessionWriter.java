package io.sessioncluster.tomcat;

import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.concurrent.TimeUnit;

/**
 * {@code writeMode=sync}: the change set is in the store before the response completes. A failed write gives its
 * changes back to the session (the next request writes them) and reports the failure, so that the valve can answer
 * 503 while the response is still uncommitted: nothing the client saw as successful is lost.
 */
final class SyncSessionWriter implements SessionWriter {

    private static final Log log = Logs.of(SyncSessionWriter.class);
    private static final StringManager sm = StringManager.getManager(SyncSessionWriter.class);

    private final StoreWrites writes;
    private final RateLimitedLog unavailable = new RateLimitedLog(10, TimeUnit.SECONDS);

    SyncSessionWriter(StoreWrites writes) {
        this.writes = writes;
    }

    @Override
    public boolean submit(PendingWrite write) {
        try {
            writes.write(write);
            return true;
        } catch (StoreUnavailableException e) {
            write.giveBack();
            long suppressed = unavailable.permit("write");
            if (suppressed >= 0) {
                log.warn(sm.getString("manager.storeUnavailable", "writing", SessionIds.redact(write.id()),
                        e.getMessage(), Long.valueOf(suppressed)));
            }
            return false;
        } catch (StoreException e) {
            StoreWrites.failed(write, e);
            return false;
        }
    }

    @Override
    public boolean hasPending(String id) {
        return false;
    }

    @Override
    public void settle(String id, boolean discard) {
        // Nothing is ever queued.
    }

    @Override
    public void close() {
        // Nothing is ever queued.
    }
}
