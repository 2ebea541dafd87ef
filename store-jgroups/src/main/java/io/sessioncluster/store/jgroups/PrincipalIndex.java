package io.sessioncluster.store.jgroups;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The principal index of the sessions one member holds, as owner or copy: name to ids. {@link LocalSessions} moves an
 * id in the same atomic step that changes its record, so the index never drifts from the records, and it covers the
 * copies too, so a member that becomes an owner (failover, rebalancing) answers for its new sessions at once, with
 * nothing to rebuild. Who answers for which session is decided when asked ({@link PrincipalLookup}).
 *
 * <p>A name whose last session left has no entry: the index never outlives its sessions. All changes of one name's
 * entry run in that name's {@code compute}, so an id added there is never lost to a concurrent removal of the entry.
 */
final class PrincipalIndex {

    private final Map<String, Set<String>> ids = new ConcurrentHashMap<>();

    /** Session {@code id} was indexed under {@code from} (null: none) and is now under {@code to} (null: none). */
    void move(String id, String from, String to) {
        if (Objects.equals(from, to)) {
            return; // most writes: nothing to do
        }
        if (to != null) {
            ids.compute(to, (name, set) -> {
                Set<String> s = set == null ? ConcurrentHashMap.newKeySet() : set;
                s.add(id);
                return s;
            });
        }
        if (from != null) {
            ids.computeIfPresent(from, (name, set) -> {
                set.remove(id);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** The ids indexed under {@code name}, a live view (callers check each against its record). */
    Set<String> ids(String name) {
        Set<String> set = ids.get(name);
        return set == null ? Set.of() : Collections.unmodifiableSet(set);
    }

    /** How many names have an entry: for tests (an index that outlives its sessions). */
    int names() {
        return ids.size();
    }
}
