package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.io.Output;
import io.sessioncluster.core.codec.CodecException.Reason;
import io.sessioncluster.core.testing.RuntimeClasses;
import io.sessioncluster.core.testing.ShopModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class KryoAttributeCodecTest extends AttributeCodecContract {

    @Override
    AttributeCodec codec(ClassAllowList allowList, int maxBytes, ClassLoader loader) {
        return new KryoAttributeCodec(allowList, maxBytes, loader);
    }

    @Override
    byte format() {
        return KryoAttributeCodec.FORMAT;
    }

    // --- values only Kryo can encode, or encodes differently ---

    /** Not Serializable: Kryo does not need it to be. */
    static final class PlainPojo {
        String name = "plain";
        List<Integer> numbers = new ArrayList<>(List.of(1, 2));
    }

    @Test
    void roundTripsValuesJavaSerializationCannot() {
        AttributeCodec kryo = codec(ClassAllowList.of(List.of(PlainPojo.class.getName())), LIMIT, LOADER);

        assertThat(kryo.decode(kryo.encode(new PlainPojo()))).usingRecursiveComparison().isEqualTo(new PlainPojo());
        assertThat(roundTrip(Optional.of("x"))).isEqualTo(Optional.of("x"));
        assertThat(roundTrip(OptionalInt.of(3))).isEqualTo(OptionalInt.of(3));
        assertThat(roundTrip(List.of(1, 2, 3, 4).subList(1, 3))).isEqualTo(List.of(2, 3));
    }

    @Test
    @SuppressWarnings("unchecked")
    void roundTripsCollectionsWithoutValueEquality() {
        assertThat(((AtomicInteger) roundTrip(new AtomicInteger(5))).get()).isEqualTo(5);
        assertThat((ArrayDeque<Object>) roundTrip(new ArrayDeque<>(List.of(1, 2)))).containsExactly(1, 2);
        Object unmodifiable = roundTrip(Collections.unmodifiableCollection(new ArrayList<>(List.of("a", "b"))));
        assertThat(unmodifiable.getClass().getName()).isEqualTo("java.util.Collections$UnmodifiableCollection");
        assertThat((Iterable<Object>) unmodifiable).containsExactly("a", "b");
    }

    static final class WithDefault {
        String note = "default";
    }

    @Test
    void aNullFieldStaysNullWhereTheConstructorSetsADefault() {
        AttributeCodec kryo = codec(ClassAllowList.of(List.of(WithDefault.class.getName())), LIMIT, LOADER);
        WithDefault value = new WithDefault();
        value.note = null;

        assertThat(((WithDefault) kryo.decode(kryo.encode(value))).note).isNull();
    }

    @Test
    void anAddedFieldKeepsItsInitializer() {
        ClassLoader[] versions = customerVersions();
        Object v1 = RuntimeClasses.newInstance(versions[0], CUSTOMER, Map.of("name", "Jane"));

        assertThat(RuntimeClasses.field(decodeWithV2(versions, v1), "nickname")).isEqualTo("none");
    }

    // --- classes with Java serialization hooks ---

    static final class Hooked implements Serializable {
        private static final long serialVersionUID = 1L;
        int value;
        Object extra;
        transient String restoredBy;

        Hooked(int value, Object extra) {
            this.value = value;
            this.extra = extra;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            restoredBy = "readObject";
        }
    }

    static final ClassAllowList WITH_HOOKED = ClassAllowList.of(List.of(Hooked.class.getName()));

    @Test
    void sendsClassesWithSerializationHooksThroughJavaSerialization() {
        AttributeCodec kryo = codec(WITH_HOOKED, LIMIT, LOADER);
        Hooked hooked = new Hooked(7, "extra");

        @SuppressWarnings("unchecked")
        List<Hooked> decoded = (List<Hooked>) kryo.decode(kryo.encode(new ArrayList<>(List.of(hooked, hooked))));

        assertThat(decoded.get(0).value).isEqualTo(7);
        assertThat(decoded.get(0).restoredBy).isEqualTo("readObject");
        assertThat(decoded.get(1)).isSameAs(decoded.get(0));
    }

    @Test
    void appliesTheAllowListInsideJavaSerializedValues() {
        AttributeCodec kryo = codec(WITH_HOOKED, LIMIT, LOADER);
        failure(Reason.CLASS_NOT_ALLOWED, () -> kryo.encode(new Hooked(1, new NotAllowed())));

        byte[] bytes = codec(ClassAllowList.of(List.of("io.sessioncluster.**")), LIMIT, LOADER)
                .encode(new Hooked(1, new NotAllowed()));
        CodecException e = failure(Reason.CLASS_NOT_ALLOWED, () -> kryo.decode(bytes));
        assertThat(e.getMessage()).contains(NotAllowed.class.getName());
    }

    @Test
    void refusesLambdasEvenFromAllowedClasses() {
        AttributeCodec kryo = codec(ClassAllowList.of(List.of(KryoAttributeCodecTest.class.getName())), LIMIT, LOADER);
        Runnable lambda = (Runnable & Serializable) () -> { };

        assertThat(failure(Reason.NOT_ENCODABLE, () -> kryo.encode(List.of(lambda))).getMessage()).contains("lambda");
    }

    // --- hostile bytes: lengths that would allocate gigabytes ---

    /** Replaces the last byte of {@code valid} (an empty container's length) with a varint of {@code length}. */
    private static byte[] withLastLength(byte[] valid, int length) {
        Output output = new Output(valid.length + 5);
        output.writeBytes(valid, 0, valid.length - 1);
        output.writeVarInt(length, true);
        return output.toBytes();
    }

    @Test
    @Timeout(10)
    void refusesHugeLengthPrefixesBeforeAllocating() {
        byte[] emptyList = codec.encode(new ArrayList<>());
        byte[] emptyMap = codec.encode(new HashMap<>());
        byte[] emptyArray = codec.encode(new Object[0]);
        byte[] emptyBytes = codec.encode(new byte[0]);
        byte[] emptyLongs = codec.encode(new long[0]);
        assertThat(List.of(emptyList, emptyMap)).allSatisfy(bytes -> assertThat(bytes[bytes.length - 1]).isZero());
        assertThat(List.of(emptyArray, emptyBytes, emptyLongs)).allSatisfy(bytes -> assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 1));

        for (byte[] valid : List.of(emptyList, emptyMap, emptyArray, emptyBytes, emptyLongs)) {
            failure(Reason.CORRUPT, () -> codec.decode(withLastLength(valid, Integer.MAX_VALUE)));
            failure(Reason.CORRUPT, () -> codec.decode(withLastLength(valid, 1 << 20)));
        }
    }

    @Test
    @Timeout(10)
    void refusesAHugeStringLength() {
        byte[] valid = codec.encode("é"); // UTF-8 strings carry a char count, ASCII ones do not
        Output output = new Output(valid.length + 8);
        output.writeBytes(valid, 0, valid.length - 3); // drop the count (1 byte) and 'é' (2 bytes)
        output.writeVarIntFlag(true, Integer.MAX_VALUE, true);

        failure(Reason.CORRUPT, () -> codec.decode(output.toBytes()));
    }

    @Test
    void refusesTrailingBytes() {
        byte[] valid = codec.encode("value");
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);

        failure(Reason.CORRUPT, () -> codec.decode(longer));
    }

    @Test
    void boundsNestingDepthOnEncode() {
        List<Object> deep = new ArrayList<>();
        List<Object> current = deep;
        for (int i = 0; i < SafeKryo.MAX_DEPTH + 10; i++) {
            List<Object> next = new ArrayList<>();
            current.add(next);
            current = next;
        }

        assertThat(failure(Reason.NOT_ENCODABLE, () -> codec.encode(deep)).getMessage()).contains("depth");
    }

    // --- pooling ---

    @Test
    void staysUsableAfterFailuresAndLargeValues() {
        failure(Reason.CLASS_NOT_ALLOWED, () -> codec.encode(List.of(new NotAllowed())));
        failure(Reason.CORRUPT, () -> codec.decode(new byte[] {KryoAttributeCodec.FORMAT, 99, 98}));
        String large = "x".repeat(200_000);

        assertThat(roundTrip(large)).isEqualTo(large);
        assertThat(roundTrip("small")).isEqualTo("small");
    }

    @Test
    @Timeout(60)
    void isThreadSafe() throws Exception {
        Map<String, Object> session = ShopModel.session(20);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        Object decoded = codec.decode(codec.encode(session));
                        assertThat(decoded).usingRecursiveComparison().isEqualTo(session);
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void isMuchSmallerThanJavaSerialization() {
        Map<String, Object> session = ShopModel.session(20);
        int kryo = codec.encode(session).length;
        int java = new JavaAttributeCodec(SHOP, LIMIT, LOADER).encode(session).length;

        System.out.printf("session(20): kryo %d bytes, java %d bytes%n", kryo, java);
        assertThat((double) kryo / java).as("kryo %d bytes, java %d bytes", kryo, java).isLessThan(0.5);
    }
}
