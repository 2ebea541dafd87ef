package io.sessioncluster.core.config;

/** How attribute values are encoded. */
public enum CodecType {
    /** Kryo: compact and fast, the default. */
    KRYO,
    /** Java serialization behind an {@link java.io.ObjectInputFilter}: for attributes Kryo cannot handle. */
    JAVA
}
