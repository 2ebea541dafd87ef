package io.sessioncluster.core.codec;

import io.sessioncluster.core.testing.ShopModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The walk takes the usual session types apart itself: encoding is its fallback, not its hot path. */
class GraphFingerprintTest {

    private static final ClassLoader LOADER = GraphFingerprintTest.class.getClassLoader();

    @Test
    void walksTheShopSessionWithoutEncodingAnything() {
        ClassAllowList allowList = ClassAllowList.of(List.of(ShopModel.ALLOW));
        SafeKryo kryo = new SafeKryo(allowList, LOADER, new JavaAttributeCodec(allowList, 1 << 20, LOADER), 1 << 20);
        AtomicInteger encoded = new AtomicInteger();
        ClassValue<ClassShape> shapes = new ClassValue<>() {
            @Override
            protected ClassShape computeValue(Class<?> type) {
                return ClassShape.of(type, kryo);
            }
        };
        GraphFingerprint walk = new GraphFingerprint(kryo, shapes, value -> {
            encoded.incrementAndGet();
            return 0;
        });

        long first = walk.of(ShopModel.session(14));

        assertThat(encoded).as("values hashed through their encoding").hasValue(0);
        assertThat(walk.of(ShopModel.session(14))).as("the same content, other instances").isEqualTo(first);
        assertThat(walk.of(ShopModel.session(13))).isNotEqualTo(first);
    }
}
