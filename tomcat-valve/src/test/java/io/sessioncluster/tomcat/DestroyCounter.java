package io.sessioncluster.tomcat;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One instance shared by every node of a test: records on which node each session was destroyed. */
final class DestroyCounter {

    private final List<String> destroyed = new CopyOnWriteArrayList<>();

    /** The listener for the node named {@code node}. */
    HttpSessionListener listenerFor(String node) {
        return new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                destroyed.add(node + ":" + io.sessioncluster.core.SessionIds.baseId(se.getSession().getId()));
            }
        };
    }

    /** Entries {@code node:baseId} of sessions destroyed so far with this base id. */
    List<String> destroyedOf(String baseId) {
        return destroyed.stream().filter(e -> e.endsWith(":" + baseId)).toList();
    }
}
