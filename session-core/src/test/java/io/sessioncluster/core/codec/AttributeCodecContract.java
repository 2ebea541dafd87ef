package io.sessioncluster.core.codec;

import io.sessioncluster.core.codec.CodecException.Reason;
import io.sessioncluster.core.testing.RuntimeClasses;
import io.sessioncluster.core.testing.ShopModel;
import io.sessioncluster.core.testing.ShopModel.Category;
import io.sessioncluster.core.testing.ShopModel.UserProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What every {@link AttributeCodec} must do, run once per codec by its {@code *Test} subclass: round trips of
 * real session graphs and JDK values, the allow-list in both directions, missing classes, corrupt and oversized
 * bytes, and class evolution after a redeploy.
 */
abstract class AttributeCodecContract {

    static final ClassAllowList SHOP = ClassAllowList.of(List.of(ShopModel.ALLOW));
    static final int LIMIT = 1 << 20;
    static final ClassLoader LOADER = AttributeCodecContract.class.getClassLoader();

    @TempDir
    Path tmp;

    AttributeCodec codec;

    abstract AttributeCodec codec(ClassAllowList allowList, int maxBytes, ClassLoader loader);

    abstract byte format();

    @BeforeEach
    void createCodec() {
        codec = codec(SHOP, LIMIT, LOADER);
    }

    Object roundTrip(Object value) {
        byte[] bytes = codec.encode(value);
        assertThat(bytes[0]).isEqualTo(format());
        return codec.decode(bytes);
    }

    static CodecException failure(Reason reason, Runnable action) {
        CodecException e = catchThrowableOfType(CodecException.class, action::run);
        assertThat(e).as("expected a CodecException").isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        return e;
    }

    // --- round trips ---

    @Test
    void roundTripsASessionGraphKeepingSharedReferencesAndCycles() {
        Map<String, Object> session = ShopModel.session(20);

        @SuppressWarnings("unchecked")
        Map<String, Object> decoded = (Map<String, Object>) roundTrip(session);

        assertThat(decoded).usingRecursiveComparison().isEqualTo(session);
        UserProfile user = (UserProfile) decoded.get("user");
        assertThat(user.billing()).isSameAs(user.shipping());
        assertThat(decoded.get("cart")).isSameAs(user.cart());
        assertThat(user.cart().owner()).isSameAs(user);
        assertThat(user.cart().items()).hasSize(20).allSatisfy(item -> assertThat(item.cart()).isSameAs(user.cart()));
        assertThat(user.cart().items()).extracting(ShopModel.CartItem::category).contains(Category.ELECTRONICS);
        assertThat(Category.ELECTRONICS.fragile()).isTrue();
    }

    @Test
    void theFingerprintFollowsTheEncodedStateAndSurvivesADecode() {
        Map<String, Object> session = ShopModel.session(20);
        assertThat(codec.fingerprint(session)).isEqualTo(codec.fingerprint(session));
        assertThat(codec.fingerprint(ShopModel.session(19))).isNotEqualTo(codec.fingerprint(session));
        byte[] bytes = codec.encode(session);
        Object decoded = codec.decode(bytes);
        assertThat(codec.fingerprint(decoded)).isEqualTo(codec.fingerprint(decoded));
        assertThat(codec.encodeIfChanged(decoded, codec.fingerprint(decoded))).as("untouched: nothing to write").isNull();
        CodecException e = failure(Reason.CLASS_NOT_ALLOWED, () -> codec.fingerprint(List.of(new NotAllowed())));
        assertThat(e.getMessage()).contains(NotAllowed.class.getName()).doesNotContain("s3cr3t");
    }

    @Test
    void roundTripsNull() {
        assertThat(roundTrip(null)).isNull();
    }

    static List<Object> values() {
        return List.of(
                "text", "ünïcødé ✓ 日本", "", 42, -7L, 3.5d, 2.5f, (short) 7, (byte) 1, 'c', true,
                new BigDecimal("12345.6789"), new BigInteger("123456789012345678901234567890"),
                new UUID(0x1234_5678_9ABCL, 0xDEF0L),
                Instant.parse("2024-05-01T09:15:30.123456789Z"), LocalDate.of(2024, 2, 29), LocalTime.of(23, 59, 1),
                LocalDateTime.of(2024, 5, 1, 10, 0), ZonedDateTime.of(2024, 3, 31, 2, 30, 0, 0, ZoneId.of("Europe/Berlin")),
                OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-5)), Duration.ofMillis(1500), Period.of(1, 2, 3),
                ZoneId.of("America/New_York"), ZoneOffset.ofHoursMinutes(5, 30), Year.of(2024), YearMonth.of(2024, 5),
                MonthDay.of(12, 24), DayOfWeek.FRIDAY,
                ShopModel.Role.PREMIUM, Category.ELECTRONICS, Category.BOOKS,
                new ShopModel.Money(new BigDecimal("9.99"), Currency.getInstance("EUR")),
                new Date(1_714_554_930_123L), timestampWithNanos(), new java.sql.Date(1_714_554_930_000L),
                Locale.CANADA_FRENCH, Currency.getInstance("JPY"), URI.create("https://example.com/a?b=c"),
                List.of(), List.of(1), List.of(1, 2, 3), Set.of("a", "b", "c"), Map.of(), Map.of("k", 1),
                Map.of("a", 1, "b", 2, "c", 3),
                Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(), Collections.singletonList("x"),
                Collections.singleton("y"), Collections.singletonMap("k", "v"),
                Collections.unmodifiableList(new ArrayList<>(List.of("a", "b"))),
                Collections.unmodifiableSet(new LinkedHashSet<>(List.of("a", "b"))),
                Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("a", 1))),
                Collections.unmodifiableSortedSet(new TreeSet<>(List.of("b", "a"))),
                Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of("b", 2, "a", 1))),
                Collections.synchronizedList(new ArrayList<>(List.of(1, 2))),
                Arrays.asList("x", null, "z"), new ArrayList<>(Arrays.asList(null, null, null)),
                new LinkedList<>(List.of(1, 2)), new HashSet<>(List.of(1, 2)), new LinkedHashSet<>(List.of(3, 1, 2)),
                caseInsensitiveSet(), reverseMap(), new HashMap<>(Map.of("a", List.of(1))), new LinkedHashMap<>(Map.of("z", 0)),
                new ConcurrentHashMap<>(Map.of("c", 3)), new CopyOnWriteArrayList<>(List.of("cow")),
                EnumSet.of(ShopModel.Role.CUSTOMER, ShopModel.Role.SUPPORT), EnumSet.noneOf(ShopModel.Role.class),
                new EnumMap<>(Map.of(ShopModel.Role.SUPPORT, "x")),
                new int[] {1, 2, 3}, new long[0], new byte[] {1, 2}, new char[] {'a'}, new boolean[] {true, false},
                new double[] {1.5}, new String[] {"a", null}, new Object[] {1, "two", null}, new Integer[][] {{1}, {2, 3}});
    }

    private static Timestamp timestampWithNanos() {
        Timestamp timestamp = new Timestamp(1_714_554_930_123L);
        timestamp.setNanos(123_456_789);
        return timestamp;
    }

    private static TreeSet<String> caseInsensitiveSet() {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of("b", "A", "c"));
        return set;
    }

    private static TreeMap<String, Integer> reverseMap() {
        TreeMap<String, Integer> map = new TreeMap<>(Collections.reverseOrder());
        map.putAll(Map.of("a", 1, "b", 2));
        return map;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("values")
    void roundTripsJdkValuesAsTheSameClass(Object value) {
        Object decoded = roundTrip(value);

        assertThat(decoded).isEqualTo(value);
        assertThat(decoded.getClass()).isEqualTo(value.getClass());
    }

    @Test
    void keepsTheComparatorOfSortedCollections() {
        @SuppressWarnings("unchecked")
        TreeSet<String> set = (TreeSet<String>) roundTrip(caseInsensitiveSet());
        @SuppressWarnings("unchecked")
        TreeMap<String, Integer> map = (TreeMap<String, Integer>) roundTrip(reverseMap());

        assertThat(set.comparator()).isSameAs(String.CASE_INSENSITIVE_ORDER);
        assertThat(set.contains("B")).isTrue();
        assertThat(map.firstKey()).isEqualTo("b");
    }

    // --- allow-list ---

    static final class NotAllowed implements Serializable {
        private static final long serialVersionUID = 1L;
        String secret = "s3cr3t-value";
    }

    static final class Holder implements Serializable {
        private static final long serialVersionUID = 1L;
        Object payload;
        NotAllowed typed;

        Holder(Object payload, NotAllowed typed) {
            this.payload = payload;
            this.typed = typed;
        }
    }

    static final ClassAllowList WITH_HOLDER = ClassAllowList.of(List.of(ShopModel.ALLOW, Holder.class.getName()));

    @Test
    void refusesADisallowedValueOnEncodeNamingItsClassNotItsValue() {
        CodecException e = failure(Reason.CLASS_NOT_ALLOWED, () -> codec.encode(new NotAllowed()));

        assertThat(e.getMessage()).contains(NotAllowed.class.getName()).doesNotContain("s3cr3t");
    }

    @Test
    void refusesADisallowedClassNestedInACollectionOrAFieldOnEncode() {
        AttributeCodec withHolder = codec(WITH_HOLDER, LIMIT, LOADER);

        for (Object value : List.of(List.of("ok", new NotAllowed()), new Holder(new NotAllowed(), null),
                new Holder("ok", new NotAllowed()), new Holder(new Object[] {new NotAllowed()}, null))) {
            CodecException e = failure(Reason.CLASS_NOT_ALLOWED, () -> withHolder.encode(value));
            assertThat(e.getMessage()).contains(NotAllowed.class.getName()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void refusesADisallowedClassOnDecode() {
        AttributeCodec permissive = codec(ClassAllowList.of(List.of("io.sessioncluster.**")), LIMIT, LOADER);
        byte[] bytes = permissive.encode(new Holder(List.of(new NotAllowed()), null));
        AttributeCodec strict = codec(WITH_HOLDER, LIMIT, LOADER);

        CodecException e = failure(Reason.CLASS_NOT_ALLOWED, () -> strict.decode(bytes));

        assertThat(e.getMessage()).contains(NotAllowed.class.getName());
    }

    @Test
    void refusesADisallowedClassBeforeLoadingIt() {
        ClassLoader compiled = RuntimeClasses.compile(tmp, Map.of("com.example.gadget.Gadget", """
                package com.example.gadget;
                public class Gadget implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    String command = "calc";
                }
                """));
        Object gadget = RuntimeClasses.newInstance(compiled, "com.example.gadget.Gadget", Map.of());
        byte[] bytes = codec(ClassAllowList.of(List.of("com.example.**")), LIMIT, compiled).encode(List.of(gadget));
        RuntimeClasses.RecordingLoader recording = new RuntimeClasses.RecordingLoader(compiled);

        failure(Reason.CLASS_NOT_ALLOWED, () -> codec(SHOP, LIMIT, recording).decode(bytes));

        assertThat(recording.requested()).doesNotContain("com.example.gadget.Gadget");
    }

    // --- missing classes ---

    @Test
    void reportsAnAllowedClassMissingOnThisNode() {
        ClassLoader newerNode = RuntimeClasses.compile(tmp, Map.of("com.example.promo.Coupon", """
                package com.example.promo;
                public class Coupon implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    String code = "SPRING24";
                }
                """));
        ClassAllowList allowList = ClassAllowList.of(List.of("com.example.**"));
        byte[] bytes = codec(allowList, LIMIT, newerNode)
                .encode(new ArrayList<>(List.of(RuntimeClasses.newInstance(newerNode, "com.example.promo.Coupon", Map.of()))));

        CodecException e = failure(Reason.CLASS_NOT_FOUND, () -> codec(allowList, LIMIT, LOADER).decode(bytes));

        assertThat(e.getMessage()).contains("com.example.promo.Coupon");
    }

    // --- corrupt, foreign and oversized bytes ---

    @Test
    @Timeout(120)
    void randomGarbageFailsOnlyWithCodecException() {
        Random random = new Random(20240501);
        int failed = 0;
        int runs = 20_000;
        for (int i = 0; i < runs; i++) {
            byte[] garbage = new byte[2 + random.nextInt(96)];
            random.nextBytes(garbage);
            garbage[0] = format();
            try {
                codec.decode(garbage);
            } catch (CodecException e) {
                failed++;
            }
        }
        assertThat(failed).isGreaterThan(runs * 9 / 10);
    }

    @Test
    @Timeout(120)
    void mutatedValidBytesFailOnlyWithCodecException() {
        byte[] valid = codec.encode(ShopModel.session(5));
        Random random = new Random(7);
        for (int i = 0; i < 3_000; i++) {
            byte[] mutated = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[1 + random.nextInt(mutated.length - 1)] = (byte) random.nextInt(256);
            }
            try {
                codec.decode(mutated);
            } catch (CodecException expected) {
                // decoding may also succeed with a changed value; any other exception type fails the test
            }
        }
        assertThat(codec.decode(valid)).usingRecursiveComparison().isEqualTo(ShopModel.session(5));
    }

    @Test
    void everyTruncationIsCorrupt() {
        byte[] valid = codec.encode(ShopModel.session(3));

        for (int length = 0; length < valid.length; length++) {
            byte[] truncated = Arrays.copyOf(valid, length);
            failure(Reason.CORRUPT, () -> codec.decode(truncated));
        }
        assertThat(codec.decode(valid)).isNotNull();
    }

    @Test
    void bytesOfAnotherCodecAreWrongFormat() {
        byte[] bytes = codec.encode("value");
        bytes[0] = format() == KryoAttributeCodec.FORMAT ? JavaAttributeCodec.FORMAT : KryoAttributeCodec.FORMAT;

        CodecException e = failure(Reason.WRONG_FORMAT, () -> codec.decode(bytes));

        assertThat(e.getMessage()).contains("kryo").contains("java");
        bytes[0] = 'X';
        assertThat(failure(Reason.WRONG_FORMAT, () -> codec.decode(bytes)).getMessage()).contains("0x58");
    }

    @Test
    void refusesToEncodeAboveTheLimit() {
        AttributeCodec small = codec(SHOP, 1024, LOADER);

        CodecException e = failure(Reason.TOO_LARGE, () -> small.encode(ShopModel.session(20)));

        assertThat(e.getMessage()).contains("1024");
        failure(Reason.TOO_LARGE, () -> small.encode("x".repeat(2000)));
    }

    @Test
    void refusesToDecodeAboveTheLimit() {
        byte[] large = codec.encode(ShopModel.session(20));

        failure(Reason.TOO_LARGE, () -> codec(SHOP, 1024, LOADER).decode(large));
    }

    @Test
    void appliesTheSameLimitToEncodeAndDecode() {
        Object value = ShopModel.session(2);
        int length = codec.encode(value).length; // the format byte is not counted against the limit
        AttributeCodec exact = codec(SHOP, length - 1, LOADER);

        assertThat(exact.decode(exact.encode(value))).usingRecursiveComparison().isEqualTo(value);
        failure(Reason.TOO_LARGE, () -> codec(SHOP, length - 2, LOADER).encode(value));
    }

    // --- class evolution after a redeploy ---

    static final String CUSTOMER = "com.example.evolve.Customer";

    /** Version 1 and version 2 of one class: a field removed, two added. Returns {v1 loader, v2 loader}. */
    ClassLoader[] customerVersions() {
        ClassLoader v1 = RuntimeClasses.compile(tmp.resolve("v1"), Map.of(CUSTOMER, """
                package com.example.evolve;
                public class Customer implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    String name;
                    int loyaltyPoints;
                    String legacyCode;
                }
                """));
        ClassLoader v2 = RuntimeClasses.compile(tmp.resolve("v2"), Map.of(CUSTOMER, """
                package com.example.evolve;
                public class Customer implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    String name;
                    int loyaltyPoints;
                    String nickname = "none";
                    java.util.List<String> badges;
                }
                """));
        return new ClassLoader[] {v1, v2};
    }

    static final ClassAllowList EXAMPLE = ClassAllowList.of(List.of("com.example.**"));

    Object decodeWithV2(ClassLoader[] versions, Object v1Value) {
        byte[] bytes = codec(EXAMPLE, LIMIT, versions[0]).encode(v1Value);
        return codec(EXAMPLE, LIMIT, versions[1]).decode(bytes);
    }

    @Test
    void decodesAClassThatGainedAndLostFieldsSinceItWasWritten() {
        ClassLoader[] versions = customerVersions();
        Object v1 = RuntimeClasses.newInstance(versions[0], CUSTOMER,
                Map.of("name", "Jane", "loyaltyPoints", 1200, "legacyCode", "L-7"));

        Object decoded = decodeWithV2(versions, List.of(v1, v1));

        List<?> list = (List<?>) decoded;
        Object customer = list.get(0);
        assertThat(customer.getClass().getClassLoader()).isSameAs(versions[1]);
        assertThat(RuntimeClasses.field(customer, "name")).isEqualTo("Jane");
        assertThat(RuntimeClasses.field(customer, "loyaltyPoints")).isEqualTo(1200);
        assertThat(RuntimeClasses.field(customer, "badges")).isNull();
        assertThat(list.get(1)).isSameAs(customer);
    }

    @Test
    void aFieldWhoseTypeChangedIsCorrupt() {
        String invoice = "com.example.evolve.Invoice";
        ClassLoader v1 = RuntimeClasses.compile(tmp.resolve("t1"), Map.of(invoice, """
                package com.example.evolve;
                public class Invoice implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    String number;
                }
                """));
        ClassLoader v2 = RuntimeClasses.compile(tmp.resolve("t2"), Map.of(invoice, """
                package com.example.evolve;
                public class Invoice implements java.io.Serializable {
                    private static final long serialVersionUID = 1L;
                    int number;
                }
                """));
        Object original = RuntimeClasses.newInstance(v1, invoice, Map.of("number", "INV-1"));

        failure(Reason.CORRUPT, () -> decodeWithV2(new ClassLoader[] {v1, v2}, original));
    }

    @Test
    void decodesARecordThatGainedAndLostComponents() {
        String point = "com.example.evolve.Point";
        ClassLoader v1 = RuntimeClasses.compile(tmp.resolve("r1"), Map.of(point, """
                package com.example.evolve;
                public record Point(int x, int y, String label) implements java.io.Serializable { }
                """));
        ClassLoader v2 = RuntimeClasses.compile(tmp.resolve("r2"), Map.of(point, """
                package com.example.evolve;
                public record Point(String label, int x, long z) implements java.io.Serializable { }
                """));
        Object original = newRecord(v1, point, new Class<?>[] {int.class, int.class, String.class}, 3, 4, "home");

        Object decoded = decodeWithV2(new ClassLoader[] {v1, v2}, original);

        assertThat(decoded.toString()).isEqualTo("Point[label=home, x=3, z=0]");
    }

    @Test
    void decodesEnumsByNameAndRefusesARemovedConstant() {
        String status = "com.example.evolve.Status";
        ClassLoader v1 = RuntimeClasses.compile(tmp.resolve("e1"), Map.of(status, """
                package com.example.evolve;
                public enum Status { NEW, PAID, SHIPPED }
                """));
        ClassLoader v2 = RuntimeClasses.compile(tmp.resolve("e2"), Map.of(status, """
                package com.example.evolve;
                public enum Status { DRAFT, NEW, SHIPPED }
                """));
        ClassLoader[] versions = {v1, v2};

        assertThat(decodeWithV2(versions, enumConstant(v1, status, "SHIPPED")).toString()).isEqualTo("SHIPPED");
        assertThat(decodeWithV2(versions, List.of(enumConstant(v1, status, "NEW"), enumConstant(v1, status, "NEW"))))
                .asString().isEqualTo("[NEW, NEW]");
        failure(Reason.CORRUPT, () -> decodeWithV2(versions, enumConstant(v1, status, "PAID")));
    }

    static Object newRecord(ClassLoader loader, String name, Class<?>[] types, Object... args) {
        try {
            return Class.forName(name, true, loader).getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object enumConstant(ClassLoader loader, String name, String constant) {
        try {
            return Enum.valueOf((Class) Class.forName(name, true, loader), constant);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void checkAllowedJudgesTheValuesOwnClassOnly() {
        codec.checkAllowed(ShopModel.user(1));
        codec.checkAllowed(null);
        assertThatThrownBy(() -> codec.checkAllowed(new NotAllowed()))
                .isInstanceOf(CodecException.class).hasMessageContaining(NotAllowed.class.getName());
    }
}
