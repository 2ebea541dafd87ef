package io.sessioncluster.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one request changed in one session: the attributes it set, the attributes it removed, and the
 * session's metadata. A store applies a change set atomically and merges it per attribute: attributes
 * the change set does not name keep their stored value, so two nodes that change different attributes
 * of one session concurrently both land.
 *
 * @param id                 the session id without any {@code jvmRoute} suffix
 * @param created            true for the first write of a new session; false writes must not recreate
 *                           a session that the store no longer has (it was invalidated or expired)
 * @param creationTime       epoch milliseconds
 * @param lastAccessedTime   epoch milliseconds
 * @param maxInactiveSeconds idle timeout; zero or negative means never
 * @param setAttributes      attributes to write, name to encoded value
 * @param removedAttributes  attributes to delete; never overlaps {@code setAttributes}
 * @param principal          what the change does to the name the session is indexed under (a login or log-out);
 *                           {@link PrincipalChange#UNCHANGED} for most requests
 */
public record ChangeSet(
        String id,
        boolean created,
        long creationTime,
        long lastAccessedTime,
        int maxInactiveSeconds,
        Map<String, byte[]> setAttributes,
        Set<String> removedAttributes,
        PrincipalChange principal) {

    public ChangeSet {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(principal, "principal");
        setAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(setAttributes, "setAttributes")));
        removedAttributes = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(removedAttributes, "removedAttributes")));
        for (String name : removedAttributes) {
            if (setAttributes.containsKey(name)) {
                throw new IllegalArgumentException("attribute [" + name + "] is both set and removed");
            }
        }
    }

    /** A change set that leaves the principal index as it is. */
    public ChangeSet(String id, boolean created, long creationTime, long lastAccessedTime, int maxInactiveSeconds,
                     Map<String, byte[]> setAttributes, Set<String> removedAttributes) {
        this(id, created, creationTime, lastAccessedTime, maxInactiveSeconds, setAttributes, removedAttributes,
                PrincipalChange.UNCHANGED);
    }

    /** This change set, also changing the principal name the session is indexed under. */
    public ChangeSet withPrincipal(PrincipalChange change) {
        return new ChangeSet(id, created, creationTime, lastAccessedTime, maxInactiveSeconds, setAttributes,
                removedAttributes, change);
    }

    /** True when only metadata (access time, timeout) changed. */
    public boolean isMetadataOnly() {
        return setAttributes.isEmpty() && removedAttributes.isEmpty() && !principal.changed();
    }

    /** Encoded bytes this change set carries, for metrics. */
    public long attributeBytes() {
        return EncodedAttributes.totalBytes(setAttributes);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChangeSet other)) {
            return false;
        }
        if (created != other.created || creationTime != other.creationTime || lastAccessedTime != other.lastAccessedTime
                || maxInactiveSeconds != other.maxInactiveSeconds || !id.equals(other.id)
                || !removedAttributes.equals(other.removedAttributes) || !principal.equals(other.principal)) {
            return false;
        }
        return EncodedAttributes.equal(setAttributes, other.setAttributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, created, lastAccessedTime, setAttributes.keySet(), removedAttributes);
    }

    @Override
    public String toString() {
        return "ChangeSet[id=" + SessionIds.redact(id) + ", created=" + created + ", set=" + setAttributes.keySet()
                + ", removed=" + removedAttributes + ", principal=" + principal + "]";
    }
}
