package io.sessioncluster.core.codec;

import io.sessioncluster.core.config.ClusterConfig;

/** Creates the codec a configuration asks for, bound to one web application's class loader. */
public final class AttributeCodecs {

    private AttributeCodecs() {
    }

    public static AttributeCodec create(ClusterConfig config, ClassLoader applicationLoader) {
        return switch (config.codec()) {
            case KRYO -> new KryoAttributeCodec(config.allowedClasses(), config.maxAttributeBytes(), applicationLoader);
            case JAVA -> new JavaAttributeCodec(config.allowedClasses(), config.maxAttributeBytes(), applicationLoader);
        };
    }
}
