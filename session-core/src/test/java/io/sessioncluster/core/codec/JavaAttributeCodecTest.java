package io.sessioncluster.core.codec;

import io.sessioncluster.core.codec.CodecException.Reason;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JavaAttributeCodecTest extends AttributeCodecContract {

    @Override
    AttributeCodec codec(ClassAllowList allowList, int maxBytes, ClassLoader loader) {
        return new JavaAttributeCodec(allowList, maxBytes, loader);
    }

    @Override
    byte format() {
        return JavaAttributeCodec.FORMAT;
    }

    @Test
    void refusesAHugeArrayLengthBeforeAllocatingIt() {
        byte[] bytes = codec.encode(new byte[16]);
        // A byte[] ends with its 4-byte length and then its 16 elements.
        assertThat(bytes[bytes.length - 17]).isEqualTo((byte) 16);
        bytes[bytes.length - 20] = 0x7f;
        bytes[bytes.length - 19] = (byte) 0xff;
        bytes[bytes.length - 18] = (byte) 0xff;

        CodecException e = failure(Reason.CORRUPT, () -> codec.decode(bytes));

        assertThat(e.getMessage()).contains("arrays of");
    }

    @Test
    void refusesProxiesOnEncode() {
        Runnable proxy = (Runnable) Proxy.newProxyInstance(LOADER, new Class<?>[] {Runnable.class, Serializable.class},
                (p, method, args) -> null);

        failure(Reason.CLASS_NOT_ALLOWED, () -> codec.encode(proxy));
    }

    @Test
    void refusesToDecodeGraphsNestedDeeperThanTheFilterAllows() {
        List<Object> deep = new ArrayList<>();
        List<Object> current = deep;
        for (int i = 0; i < 100; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }
        byte[] bytes = codec.encode(deep);

        failure(Reason.TOO_LARGE, () -> codec.decode(bytes));
    }

    @Test
    void reportsAClassThatIsNotSerializable() {
        CodecException e = failure(Reason.NOT_ENCODABLE, () -> codec.encode(new ArrayList<>(List.of(new Object()))));

        assertThat(e.getMessage()).contains("java.lang.Object");
    }
}
