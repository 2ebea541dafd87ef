package io.sessioncluster.core.codec;

import io.sessioncluster.core.config.ClusterConfig;

import java.util.function.Predicate;

/** Creates the codec a configuration asks for, bound to one web application's class loader. */
public final class AttributeCodecs {

    private AttributeCodecs() {
    }

    public static AttributeCodec create(ClusterConfig config, ClassLoader applicationLoader) {
        return create(config, applicationLoader, null);
    }

    /**
     * @param admission admits further classes by name (see {@link ClassAllowList#admitting}): the embedding's own
     *                  session types, and the web application's own classes if {@code allowApplicationClasses} is
     *                  on; null for none
     */
    public static AttributeCodec create(ClusterConfig config, ClassLoader applicationLoader,
                                        Predicate<String> admission) {
        ClassAllowList allowList = admission != null
                ? config.allowedClasses().admitting(admission) : config.allowedClasses();
        return switch (config.codec()) {
            case KRYO -> new KryoAttributeCodec(allowList, config.maxAttributeBytes(), applicationLoader);
            case JAVA -> new JavaAttributeCodec(allowList, config.maxAttributeBytes(), applicationLoader);
        };
    }
}
