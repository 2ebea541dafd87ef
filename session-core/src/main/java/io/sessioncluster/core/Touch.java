package io.sessioncluster.core;

import java.util.Objects;

/**
 * A batched access-time update for a session that a request read but did not change.
 *
 * @param id               the session id without any {@code jvmRoute} suffix
 * @param lastAccessedTime epoch milliseconds
 */
public record Touch(String id, long lastAccessedTime) {
    public Touch {
        Objects.requireNonNull(id, "id");
    }
}
