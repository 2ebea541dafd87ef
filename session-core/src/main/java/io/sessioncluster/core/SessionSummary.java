package io.sessioncluster.core;

import java.util.Objects;

/**
 * A session's metadata without its attributes: one row of {@link io.sessioncluster.core.store.SessionStore#page},
 * for operators' listings (Tomcat's manager application, JMX).
 *
 * @param id                 the session id without any {@code jvmRoute} suffix
 * @param creationTime       epoch milliseconds
 * @param lastAccessedTime   epoch milliseconds, as the store last recorded it
 * @param maxInactiveSeconds idle timeout; zero or negative means never
 * @param principal          the principal name the session is indexed under, or null
 */
public record SessionSummary(String id, long creationTime, long lastAccessedTime, int maxInactiveSeconds,
                             String principal) {

    public SessionSummary {
        Objects.requireNonNull(id, "id");
    }

    public static SessionSummary of(SessionRecord record) {
        return new SessionSummary(record.id(), record.creationTime(), record.lastAccessedTime(),
                record.maxInactiveSeconds(), record.principal());
    }

    @Override
    public String toString() {
        return "SessionSummary[id=" + SessionIds.redact(id) + ", lastAccessedTime=" + lastAccessedTime + "]";
    }
}
