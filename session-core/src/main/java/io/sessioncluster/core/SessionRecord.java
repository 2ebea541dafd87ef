package io.sessioncluster.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One session as a store holds it: metadata plus every attribute in its encoded form.
 *
 * <p>Attribute values are opaque bytes produced by an {@link io.sessioncluster.core.codec.AttributeCodec};
 * a store never decodes them. The map is an unmodifiable copy; the byte arrays are shared, so
 * callers must not mutate them.
 *
 * @param id                 the session id without any {@code jvmRoute} suffix
 * @param version            bumped by the store on every write; {@code 0} is never stored
 * @param creationTime       epoch milliseconds
 * @param lastAccessedTime   epoch milliseconds
 * @param maxInactiveSeconds idle timeout; zero or negative means the session never expires
 * @param attributes         attribute name to encoded value
 * @param principal          the principal name the session is indexed under ({@link ChangeSet#principal}), or null
 */
public record SessionRecord(
        String id,
        long version,
        long creationTime,
        long lastAccessedTime,
        int maxInactiveSeconds,
        Map<String, byte[]> attributes,
        String principal) {

    public SessionRecord {
        Objects.requireNonNull(id, "id");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(attributes, "attributes")));
    }

    /** A session not indexed under a principal name. */
    public SessionRecord(String id, long version, long creationTime, long lastAccessedTime, int maxInactiveSeconds,
                         Map<String, byte[]> attributes) {
        this(id, version, creationTime, lastAccessedTime, maxInactiveSeconds, attributes, null);
    }

    /** Epoch milliseconds after which the session is expired, or {@link Long#MAX_VALUE} if it never expires. */
    public long expiresAt() {
        return expiresAt(lastAccessedTime, maxInactiveSeconds);
    }

    public boolean isExpiredAt(long nowMillis) {
        return nowMillis >= expiresAt();
    }

    /** Total encoded size of the attributes, for size limits and metrics. */
    public long attributeBytes() {
        return EncodedAttributes.totalBytes(attributes);
    }

    public static long expiresAt(long lastAccessedTime, int maxInactiveSeconds) {
        return maxInactiveSeconds <= 0 ? Long.MAX_VALUE : lastAccessedTime + maxInactiveSeconds * 1000L;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SessionRecord other)) {
            return false;
        }
        if (version != other.version || creationTime != other.creationTime
                || lastAccessedTime != other.lastAccessedTime || maxInactiveSeconds != other.maxInactiveSeconds
                || !id.equals(other.id) || !Objects.equals(principal, other.principal)) {
            return false;
        }
        return EncodedAttributes.equal(attributes, other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version, creationTime, lastAccessedTime, maxInactiveSeconds, attributes.keySet());
    }

    @Override
    public String toString() {
        return "SessionRecord[id=" + SessionIds.redact(id) + ", version=" + version + ", attributes="
                + attributes.keySet() + ", bytes=" + attributeBytes() + "]";
    }
}
