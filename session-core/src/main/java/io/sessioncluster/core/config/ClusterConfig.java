package io.sessioncluster.core.config;

import io.sessioncluster.core.codec.ClassAllowList;
import io.sessioncluster.core.store.SessionStoreProvider;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The whole, validated configuration of one clustered web application. Built only by {@link #parse},
 * which checks every setting at once; immutable afterwards.
 *
 * @param store           name of the selected store
 * @param writeMode       when change sets are written
 * @param sticky          whether the balancer pins sessions to nodes
 * @param codec           attribute encoding
 * @param allowedClasses  classes attribute values may have
 * @param allowApplicationClasses the web application's own classes may be stored without listing
 * @param maxAttributeBytes largest encoded attribute
 * @param asyncQueueSize  bound of the write-behind queue
 * @param asyncWriters    writer threads of the write-behind queue ({@code auto} resolved)
 * @param holdResponse    in sync mode, hold the application's flushes until the session is written
 * @param detectMutations find attributes changed in place without {@code setAttribute}
 * @param locking         whether a node takes a session's cluster-wide lock for its requests ({@code auto} resolved)
 * @param lockLeaseMillis how long a lock outlives a holder that died or stalled
 * @param lockWaitMillis  how long a request waits for a lock held elsewhere
 * @param storeSettings   the selected store's own settings, parsed
 */
public record ClusterConfig(
        String store,
        WriteMode writeMode,
        boolean sticky,
        CodecType codec,
        ClassAllowList allowedClasses,
        boolean allowApplicationClasses,
        int maxAttributeBytes,
        int asyncQueueSize,
        int asyncWriters,
        boolean holdResponse,
        boolean detectMutations,
        boolean locking,
        long lockLeaseMillis,
        long lockWaitMillis,
        Settings storeSettings) {

    public ClusterConfig {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(writeMode, "writeMode");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(allowedClasses, "allowedClasses");
        Objects.requireNonNull(storeSettings, "storeSettings");
    }

    /**
     * Validates raw settings (attribute name to text) against the core settings and the selected store's.
     * Every problem is collected: a missing or unknown store, a bad value, an unknown setting name, and a
     * setting that belongs to a store other than the selected one.
     *
     * @param raw       the settings as the user wrote them
     * @param providers the stores found on the class path, by name
     * @throws ConfigException listing every problem
     */
    public static ClusterConfig parse(Map<String, String> raw, Map<String, SessionStoreProvider> providers) {
        ConfigProblems problems = new ConfigProblems();
        String storeName = raw.get(CoreSettings.STORE);
        SessionStoreProvider provider = null;
        String available = providers.isEmpty() ? "none (no store module on the class path)" : String.join(", ", providers.keySet());
        if (storeName == null || storeName.isBlank()) {
            problems.add(CoreSettings.STORE + ": required; allowed are " + available);
        } else {
            provider = providers.get(storeName.trim());
            if (provider == null) {
                problems.add(CoreSettings.STORE + " [" + storeName + "]: allowed are " + available);
            }
        }

        Map<String, String> ownerOf = new HashMap<>();
        for (SessionStoreProvider p : providers.values()) {
            for (Setting<?> s : p.settings()) {
                ownerOf.putIfAbsent(s.name(), p.name());
            }
        }
        Map<String, Setting<?>> known = new LinkedHashMap<>();
        CoreSettings.all().forEach(s -> known.put(s.name(), s));
        if (provider != null) {
            provider.settings().forEach(s -> known.put(s.name(), s));
        }
        for (String name : raw.keySet()) {
            if (name.equals(CoreSettings.STORE) || known.containsKey(name)) {
                continue;
            }
            String owner = ownerOf.get(name);
            if (owner != null) {
                problems.add(name + ": applies to store [" + owner + "], but store is [" + storeName + "]");
            } else {
                TreeSet<String> names = new TreeSet<>(known.keySet());
                names.add(CoreSettings.STORE);
                problems.add(name + ": unknown setting; known settings are " + String.join(", ", names));
            }
        }

        Settings core = Settings.parse(CoreSettings.all(), raw, problems);
        if (core.has(CoreSettings.WRITE_MODE) && core.has(CoreSettings.STICKY)
                && core.get(CoreSettings.WRITE_MODE) == WriteMode.ASYNC && !core.get(CoreSettings.STICKY)) {
            // Behind a round-robin balancer the next request reaches another node before the write-behind: it would
            // find the session missing (a new one) or stale, and its own write would overtake the queued one.
            problems.add(CoreSettings.WRITE_MODE.name() + " [async]: needs sticky=true; with sticky=false the next "
                    + "request can reach another node before the change is written: use writeMode=sync");
        }
        boolean locking = core.has(CoreSettings.LOCKING) && core.has(CoreSettings.STICKY)
                && switch (core.get(CoreSettings.LOCKING)) {
                    case AUTO -> !core.get(CoreSettings.STICKY);
                    case NONE -> false;
                    case SESSION -> true;
                };
        if (core.has(CoreSettings.LOCKING) && core.get(CoreSettings.LOCKING) == Locking.SESSION
                && core.has(CoreSettings.WRITE_MODE) && core.get(CoreSettings.WRITE_MODE) == WriteMode.ASYNC) {
            // The lock would be released before the write-behind lands: the next holder would read the older state.
            // (auto with async means sticky=true, hence no lock; async with sticky=false is refused above.)
            problems.add(CoreSettings.LOCKING.name() + " [session]: needs writeMode=sync; with async the lock is released before the change is written, so the "
                    + "next node to take it could read the older state: use locking=none or writeMode=sync");
        }
        int before = problems.count();
        Settings storeSettings = provider == null ? new Settings(Map.of()) : Settings.parse(provider.settings(), raw, problems);
        if (provider != null && problems.count() == before) {
            // Only once every store setting parsed: the combination checks read them all.
            provider.problems(storeSettings).forEach(problems::add);
        }
        problems.throwIfAny("Invalid session-cluster configuration");

        return new ClusterConfig(
                provider.name(),
                core.get(CoreSettings.WRITE_MODE),
                core.get(CoreSettings.STICKY),
                core.get(CoreSettings.CODEC),
                core.get(CoreSettings.ALLOWED_CLASSES),
                core.get(CoreSettings.ALLOW_APPLICATION_CLASSES),
                core.get(CoreSettings.MAX_ATTRIBUTE_BYTES),
                core.get(CoreSettings.ASYNC_QUEUE_SIZE),
                core.get(CoreSettings.ASYNC_WRITERS),
                core.get(CoreSettings.HOLD_RESPONSE),
                core.get(CoreSettings.DETECT_MUTATIONS),
                locking,
                core.get(CoreSettings.LOCK_LEASE_SECONDS) * 1000L,
                core.get(CoreSettings.LOCK_WAIT_MILLIS),
                storeSettings);
    }
}
