package io.sessioncluster.tomcat;

import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.AttributeCodecs;
import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.WriteMode;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.WebResourceRoot;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Everything a started {@link ClusteredSessionManager} works with, built at start from the validated
 * configuration and torn down at stop in reverse order: the codec, the store, the writer, the touch batcher, the
 * loader, the resolver, the expiry processor and the flusher thread.
 */
final class ClusterRuntime {

    private static final Log log = Logs.of(ClusterRuntime.class);
    private static final StringManager sm = StringManager.getManager(ClusterRuntime.class);
    static final long FLUSH_INTERVAL_MILLIS = 1_000;
    private static final long ASYNC_OFFER_TIMEOUT_MILLIS = 5_000;

    final ClusterConfig config;
    final AttributeCodec codec;
    /** The {@link DeferredStore}, measured ({@link MeasuredStore}). */
    final SessionStore store;
    final SessionWriter writer;
    final TouchBatcher touches;
    final AuthReplication auth;
    final ChangeSetBuilder builder;
    final SessionLoader loader;
    final ExpiryProcessor expiry;
    final SessionResolver resolver;
    final RenameAndDelete renames;
    final UserSessions users;
    final ClusterListing listing;
    final StoreClock clock;
    final RequestCompletion completion;
    /** Null without {@code locking=session}. */
    final NodeLocks locks;
    private final StatisticsCounters counters;
    private final ScheduledExecutorService flusher;
    /** The store's clock is measured again every this many flushes (10 s): clocks drift, NTP steps them. */
    private static final int CLOCK_EVERY_TICKS = 10;
    private long ticks; // the flusher thread's only

    private ClusterRuntime(ClusteredSessionManager manager, LocalCopies copies, ClusterConfig config,
                           AttributeCodec codec, DeferredStore deferred, String contextName) {
        this.config = config;
        this.codec = codec;
        this.counters = manager.counters();
        this.store = new MeasuredStore(deferred, counters.store);
        StoreWrites writes = new StoreWrites(store, copies, counters);
        if (config.writeMode() == WriteMode.ASYNC) {
            AsyncSessionWriter async = new AsyncSessionWriter(writes, config.asyncQueueSize(), config.asyncWriters(),
                    AsyncSessionWriter.DEFAULT_MAX_BATCH, ASYNC_OFFER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS,
                    "session-cluster-writer[" + contextName + "]");
            counters.queue(async::queuedSessions);
            this.writer = async;
        } else {
            this.writer = new SyncSessionWriter(writes);
        }
        this.clock = new StoreClock(store, System::currentTimeMillis);
        clock.measureAtStart(); // the store may be down: then the flusher measures once it is back
        this.touches = new TouchBatcher(store, clock);
        this.auth = new AuthReplication(new AuthStateCodec(codec), manager.getPersistAuthentication());
        this.builder = new ChangeSetBuilder(codec, auth, config.detectMutations(), clock,
                new PrincipalNames(manager.getPrincipalAttribute()));
        this.loader = new SessionLoader(codec, auth, manager::newSession, clock);
        this.expiry = new ExpiryProcessor(manager, copies, store, touches, writer, loader, clock);
        this.resolver = new SessionResolver(copies, store, loader, auth, expiry, writer, config.sticky());
        this.renames = new RenameAndDelete(store, writer, touches);
        this.users = new UserSessions(manager, store);
        this.listing = new ClusterListing(manager, store, clock, users);
        this.locks = config.locking()
                ? new NodeLocks(store, config.lockLeaseMillis(), config.lockWaitMillis(), counters, contextName)
                : null;
        this.completion = new RequestCompletion(builder, writer, touches, locks, clock);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-cluster-flusher[" + contextName + "]");
            t.setDaemon(true);
            t.setContextClassLoader(ClusterRuntime.class.getClassLoader());
            return t;
        });
        flusher.scheduleWithFixedDelay(() -> {
            try {
                if (++ticks % CLOCK_EVERY_TICKS == 0 || !clock.isMeasured()) { // unmeasured: every second
                    clock.measure();
                }
                touches.flush();
                renames.retryPendingDeletes();
                counters.store.tick();
            } catch (RuntimeException e) {
                log.warn(sm.getString("manager.flushFailed", e.toString()), e);
            }
        }, FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Builds the runtime. A store whose backend is down is opened later, on use; a codec or store that cannot be
     * created at all fails the start.
     */
    static ClusterRuntime open(ClusteredSessionManager manager, LocalCopies copies, ClusterConfig config,
                               SessionStoreProvider provider, ClassLoader applicationLoader,
                               WebResourceRoot applicationResources, String contextName) throws LifecycleException {
        AttributeCodec codec;
        try {
            codec = AttributeCodecs.create(config, applicationLoader,
                    new ContainerAdmission(config.allowApplicationClasses() ? applicationResources : null));
        } catch (RuntimeException e) {
            String problem = sm.getString("manager.codecFailed", config.codec().name().toLowerCase(Locale.ROOT), e.toString());
            throw new LifecycleException(sm.getString("manager.configInvalid", contextName, problem), e);
        }
        DeferredStore store;
        try {
            store = DeferredStore.open(() -> provider.open(config.storeSettings(), contextName),
                    () -> log.info(sm.getString("manager.storeReopened", provider.name(), contextName)),
                    e -> {
                        manager.counters().store.availability.unavailable();
                        log.warn(sm.getString("manager.storeDeferred", provider.name(), contextName, e.getMessage()));
                    });
        } catch (RuntimeException e) {
            String problem = sm.getString("manager.storeOpenFailed", provider.name(), e.getMessage());
            throw new LifecycleException(sm.getString("manager.configInvalid", contextName, problem), e);
        }
        return new ClusterRuntime(manager, copies, config, codec, store, contextName);
    }

    /** Stops the flusher, writes what is queued and flushes touches; the store stays open for {@link #closeStore}. */
    void flush() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        counters.queue(null);
        touches.flush();
        renames.retryPendingDeletes();
        if (locks != null) {
            locks.close();
        }
    }

    void closeStore() {
        store.close();
    }
}
