package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Fence;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One change set on its way to the store, with the session it came from and the change marks it took, so that a
 * failed write can give them back; and the fence of the session's lock if the request holds it.
 */
record PendingWrite(ClusteredSession session, ChangeSet changes, SessionChanges taken, Fence fence) {

    PendingWrite(ClusteredSession session, ChangeSet changes, SessionChanges taken) {
        this(session, changes, taken, Fence.NONE);
    }

    /** This write under the request's lock. */
    PendingWrite fenced(Fence lockFence) {
        return new PendingWrite(session, changes, taken, lockFence);
    }

    String id() {
        return changes.id();
    }

    /** The write failed: the session gets its change marks back, so that its next request writes them again. */
    void giveBack() {
        session.restoreChanges(taken);
    }

    /** This write followed by {@code later} of the same session, as one change set (write-behind coalescing). */
    PendingWrite then(PendingWrite later) {
        ChangeSet a = changes;
        ChangeSet b = later.changes;
        Map<String, byte[]> set = new LinkedHashMap<>(a.setAttributes());
        Set<String> removed = new LinkedHashSet<>(a.removedAttributes());
        b.removedAttributes().forEach(name -> {
            set.remove(name);
            removed.add(name);
        });
        b.setAttributes().forEach((name, value) -> {
            removed.remove(name);
            set.put(name, value);
        });
        ChangeSet merged = new ChangeSet(b.id(), a.created() || b.created(), b.creationTime(),
                Math.max(a.lastAccessedTime(), b.lastAccessedTime()), b.maxInactiveSeconds(), set, removed,
                b.principal().changed() ? b.principal() : a.principal());
        return new PendingWrite(later.session, merged, taken.then(later.taken), later.fence);
    }

    /** The same changes as an update: for a create that found the id already stored (a retried first write). */
    PendingWrite asUpdate() {
        ChangeSet c = changes;
        return new PendingWrite(session, new ChangeSet(c.id(), false, c.creationTime(), c.lastAccessedTime(),
                c.maxInactiveSeconds(), c.setAttributes(), c.removedAttributes(), c.principal()), taken, fence);
    }
}
