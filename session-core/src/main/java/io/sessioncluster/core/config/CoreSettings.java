package io.sessioncluster.core.config;

import io.sessioncluster.core.codec.ClassAllowList;

import java.util.List;

/** The settings every store shares. Store-specific settings come from each store's provider. */
public final class CoreSettings {

    private CoreSettings() {
    }

    /** Required; its allowed values are the names of the stores found on the class path. */
    public static final String STORE = "store";

    public static final Setting<WriteMode> WRITE_MODE = Setting.oneOf("writeMode", WriteMode.SYNC,
            "sync: the change set is in the store before the response completes; async: written behind through a bounded queue");

    public static final Setting<Boolean> STICKY = Setting.bool("sticky", true,
            "true: the balancer pins a session to a node, which serves its local copy and reads the store only on a miss; "
                    + "false: every request checks the stored version and reloads a stale copy");

    public static final Setting<CodecType> CODEC = Setting.oneOf("codec", CodecType.KRYO,
            "how attribute values are encoded");

    public static final Setting<ClassAllowList> ALLOWED_CLASSES = Setting.of("allowedClasses", "",
            "comma-separated class names, package.* or package.**", 
            "classes that may be stored in the session besides the built-in JDK value and collection types",
            ClassAllowList::parse);

    public static final Setting<Boolean> ALLOW_APPLICATION_CLASSES = Setting.bool("allowApplicationClasses", true,
            "true: the classes the web application defines itself (WEB-INF/classes) may be stored without listing; "
                    + "false: only allowedClasses and the built-in types. Library classes always need listing");

    public static final Setting<Integer> MAX_ATTRIBUTE_BYTES = Setting.integer("maxAttributeBytes", 1 << 20, 64, 256 << 20,
            "largest encoded attribute; a larger one is not replicated and is logged");

    public static final Setting<Integer> ASYNC_QUEUE_SIZE = Setting.integer("asyncQueueSize", 10_000, 1, 1_000_000,
            "sessions with pending writes in async mode; when full, requests wait for room");

    /** {@code auto}: one writer per core, at most 4: writers wait on the store, not on the CPU, but share its pool. */
    public static final Setting<Integer> ASYNC_WRITERS = Setting.of("asyncWriters", "auto", "auto, or an integer from 1 to 64",
            "async mode: writer threads, each owning the sessions whose id hashes to it, so that one slow write does not "
                    + "hold back other sessions' writes; auto: as many as cores, at most 4",
            raw -> {
                if (raw.equals("auto")) {
                    return Math.min(4, Runtime.getRuntime().availableProcessors());
                }
                int value = Integer.parseInt(raw);
                if (value < 1 || value > 64) {
                    throw new IllegalArgumentException();
                }
                return value;
            });

    public static final Setting<Boolean> HOLD_RESPONSE = Setting.bool("holdResponse", true,
            "sync mode: the application's flushes and Content-Length are held back until the session is written, "
                    + "so no client sees a response before its session is in the store");

    public static final Setting<Boolean> DETECT_MUTATIONS = Setting.bool("detectMutations", true,
            "true: an attribute the request read and changed in place, without setAttribute, is found (its encoded form "
                    + "is compared at the end of the request) and written; false: only attributes passed to setAttribute "
                    + "are written, which saves that encoding on every request");

    public static final Setting<Locking> LOCKING = Setting.oneOf("locking", Locking.AUTO,
            "session: a node holds a session's cluster-wide lock while its requests of that session run, and a request "
                    + "on another node waits (requests on one node still run side by side); none: no lock, the later "
                    + "write of an attribute wins; auto: session with sticky=false, none with sticky=true");

    public static final Setting<Integer> LOCK_LEASE_SECONDS = Setting.integer("lockLeaseSeconds", 10, 1, 3600,
            "how long a node's lock outlives the node if it dies or stalls; a node renews it while its requests run");

    public static final Setting<Integer> LOCK_WAIT_MILLIS = Setting.integer("lockWaitMillis", 5_000, 0, 600_000,
            "how long a request waits for another node to release its session's lock before it is answered 503 "
                    + "with Retry-After");

    /** Every core setting except {@link #STORE}, which {@link ClusterConfig#parse} handles itself. */
    public static List<Setting<?>> all() {
        return List.of(WRITE_MODE, STICKY, CODEC, ALLOWED_CLASSES, ALLOW_APPLICATION_CLASSES, MAX_ATTRIBUTE_BYTES, ASYNC_QUEUE_SIZE, ASYNC_WRITERS,
                HOLD_RESPONSE,
                DETECT_MUTATIONS, LOCKING, LOCK_LEASE_SECONDS, LOCK_WAIT_MILLIS);
    }
}
