package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.Loggers;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.store.EvictionListener;
import org.jgroups.Address;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Evictions between the nodes ({@code EVICT}, best effort): a delete, a rename's old id, a won expiry claim (the
 * owner announces them) and a takeover ({@code announceEviction}) reach every member except the one that caused it,
 * whose listener then drops its local copy. After a merge the listener is told that some may have been missed.
 */
final class Evictions {

    private static final System.Logger LOG = Loggers.of(Evictions.class);
    private static final EvictionListener NO_LISTENER = new EvictionListener() {
        @Override
        public void evicted(String id) {
        }

        @Override
        public void missedEvictions() {
        }
    };

    private final Messaging messaging;
    private final Supplier<Address> self;
    private final String contextName;
    private final RateLimitedLog warnings = new RateLimitedLog(60, TimeUnit.SECONDS);
    private volatile EvictionListener listener = NO_LISTENER;

    Evictions(Messaging messaging, Supplier<Address> self, String contextName) {
        this.messaging = messaging;
        this.self = self;
        this.contextName = contextName;
    }

    void subscribe(EvictionListener listener) {
        this.listener = listener;
    }

    /** This node took the session over: every other member hears it. */
    void announce(String id) {
        cast(id, self.get());
    }

    /** The owner's side of an eviction: every member but the one that asked hears it. */
    void byOwner(String id, Address origin) {
        Address me = self.get();
        cast(id, me, origin);
        if (!me.equals(origin)) {
            listener.evicted(id);
        }
    }

    /** An {@code EVICT} from {@code src}. */
    void heard(Address src, Wire.In in) {
        String id = in.id();
        in.end();
        if (!src.equals(self.get())) {
            listener.evicted(id);
        }
    }

    /** After a merge: local copies may be stale. */
    void missed() {
        listener.missedEvictions();
    }

    private void cast(String id, Address... excluded) {
        try {
            messaging.castAsync(new Wire.Out(Kind.EVICT).id(id).bytes(), excluded);
        } catch (Exception e) {
            long suppressed = warnings.permit("evict");
            if (suppressed >= 0) {
                LOG.log(System.Logger.Level.WARNING, "{0}: eviction of a session not announced (best effort): {1}"
                        + (suppressed > 0 ? " (" + suppressed + " more suppressed)" : ""), contextName, e.toString());
            }
        }
    }
}
