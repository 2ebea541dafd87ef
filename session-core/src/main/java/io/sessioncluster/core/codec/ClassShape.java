package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.util.Util;
import net.openhft.hashing.LongHashFunction;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link GraphFingerprint} hashes of one class: the state the Kryo codec encodes for it, read straight from
 * the object. Derived from the serializer {@link SafeKryo} chose for the class, so the walk covers what the
 * encoding covers (the fields {@link KryoEvolving.CompatibleFields} writes, the elements a collection serializer
 * writes, the comparator of a sorted one). A class whose serializer the walk does not know (a custom Kryo
 * serializer, Java serialization hooks, an {@code EnumSet}) is {@link Kind#ENCODED}: its encoded bytes are hashed.
 */
final class ClassShape {

    enum Kind {
        STRING, BOOLEAN, BYTE, CHAR, SHORT, INT, LONG, FLOAT, DOUBLE, ENUM, FIELDS, COLLECTION, MAP,
        OBJECT_ARRAY, STRING_ARRAY, BYTES, CHARS, SHORTS, INTS, LONGS, FLOATS, DOUBLES, BOOLEANS,
        BIG_DECIMAL, BIG_INTEGER, UUID, DATE, TIMESTAMP, INSTANT, LOCAL_DATE, LOCAL_TIME, LOCAL_DATE_TIME,
        DURATION, ZONED_DATE_TIME, OFFSET_DATE_TIME, ZONE_ID, CURRENCY, LOCALE, ENUM_SET, ATOMIC_BOOLEAN, ATOMIC_INT,
        ATOMIC_LONG, ENCODED, REJECTED
    }

    /** How a field's value is read: without boxing for primitives. */
    static final byte REF = 0, F_BOOLEAN = 1, F_BYTE = 2, F_CHAR = 3, F_SHORT = 4, F_INT = 5, F_LONG = 6,
            F_FLOAT = 7, F_DOUBLE = 8;

    private static final LongHashFunction XX3 = LongHashFunction.xx3();

    private static final Map<Class<?>, Kind> VALUES = Map.ofEntries(
            Map.entry(String.class, Kind.STRING), Map.entry(Boolean.class, Kind.BOOLEAN),
            Map.entry(Byte.class, Kind.BYTE), Map.entry(Character.class, Kind.CHAR),
            Map.entry(Short.class, Kind.SHORT), Map.entry(Integer.class, Kind.INT), Map.entry(Long.class, Kind.LONG),
            Map.entry(Float.class, Kind.FLOAT), Map.entry(Double.class, Kind.DOUBLE),
            Map.entry(byte[].class, Kind.BYTES), Map.entry(char[].class, Kind.CHARS),
            Map.entry(short[].class, Kind.SHORTS), Map.entry(int[].class, Kind.INTS),
            Map.entry(long[].class, Kind.LONGS), Map.entry(float[].class, Kind.FLOATS),
            Map.entry(double[].class, Kind.DOUBLES), Map.entry(boolean[].class, Kind.BOOLEANS),
            Map.entry(BigDecimal.class, Kind.BIG_DECIMAL), Map.entry(BigInteger.class, Kind.BIG_INTEGER),
            Map.entry(UUID.class, Kind.UUID), Map.entry(Date.class, Kind.DATE),
            Map.entry(Timestamp.class, Kind.TIMESTAMP), Map.entry(Instant.class, Kind.INSTANT),
            Map.entry(LocalDate.class, Kind.LOCAL_DATE), Map.entry(LocalTime.class, Kind.LOCAL_TIME),
            Map.entry(LocalDateTime.class, Kind.LOCAL_DATE_TIME), Map.entry(Duration.class, Kind.DURATION),
            Map.entry(ZonedDateTime.class, Kind.ZONED_DATE_TIME), Map.entry(OffsetDateTime.class, Kind.OFFSET_DATE_TIME),
            Map.entry(ZoneOffset.class, Kind.ZONE_ID), Map.entry(ZoneId.of("Europe/Paris").getClass(), Kind.ZONE_ID),
            Map.entry(Currency.class, Kind.CURRENCY), Map.entry(Locale.class, Kind.LOCALE),
            Map.entry(AtomicBoolean.class, Kind.ATOMIC_BOOLEAN), Map.entry(AtomicInteger.class, Kind.ATOMIC_INT),
            Map.entry(AtomicLong.class, Kind.ATOMIC_LONG));

    final Kind kind;
    /** Identifies the class in the hash, as the class name or id does in the encoding. */
    final long classHash;
    /** Kryo keeps a back-reference for a second occurrence of the same instance: the walk does the same. */
    final boolean tracked;
    /** {@link Kind#FIELDS}: the fields the codec writes, and how to read each. */
    final Field[] fields;
    final byte[] fieldKinds;
    /** {@link Kind#COLLECTION} and {@link Kind#MAP}: the codec writes the comparator of sorted ones. */
    final boolean comparator;
    /** {@link Kind#REJECTED}: the serializer that refuses the class, to fail as the encoding would. */
    final Serializer<?> rejecting;

    private ClassShape(Kind kind, Class<?> type, Field[] fields, boolean comparator, Serializer<?> rejecting) {
        this.kind = kind;
        this.classHash = XX3.hashChars(type.getName());
        // Enum constants and currencies are one instance per value: a back-reference to one says nothing its value
        // does not, so the walk hashes the value and keeps no identity entry (they are most of a session's objects
        // after strings). Everything else Kryo keeps references for, the walk does too.
        this.tracked = !Util.isWrapperClass(type) && !SafeKryo.ValueAwareReferenceResolver.isValueBased(type)
                && kind != Kind.ENUM && kind != Kind.CURRENCY;
        this.fields = fields;
        this.fieldKinds = new byte[fields.length];
        for (int i = 0; i < fields.length; i++) {
            fieldKinds[i] = fieldKind(fields[i].getType());
        }
        this.comparator = comparator;
        this.rejecting = rejecting;
    }

    /** The shape of {@code type} as {@code kryo} encodes it; registers the class with that instance as encoding would. */
    static ClassShape of(Class<?> type, SafeKryo kryo) {
        Serializer<?> serializer = kryo.getRegistration(type).getSerializer();
        if (serializer instanceof KryoSerializers.Rejecting) {
            return simple(Kind.REJECTED, type, serializer);
        }
        if (serializer instanceof KryoEvolving.CompatibleFields<?> compatible) {
            return new ClassShape(Kind.FIELDS, type, compatible.fields(), false, null);
        }
        if (serializer instanceof KryoEvolving.CompatibleRecord) {
            return new ClassShape(Kind.FIELDS, type, recordFields(type), false, null);
        }
        if (serializer instanceof KryoEvolving.EnumByName) {
            return simple(Kind.ENUM, type, null);
        }
        if (serializer instanceof KryoCollections.CollectionSerializer collection) {
            return new ClassShape(Kind.COLLECTION, type, new Field[0], collection.writesItsComparator(), null);
        }
        if (serializer instanceof KryoCollections.MapSerializer map) {
            return new ClassShape(Kind.MAP, type, new Field[0], map.writesItsComparator(), null);
        }
        Kind value = VALUES.get(type);
        if (value != null && isKryoDefault(serializer)) {
            return simple(value, type, null);
        }
        if (EnumSet.class.isAssignableFrom(type) && unwrap(serializer) instanceof DefaultSerializers.EnumSetSerializer) {
            return simple(Kind.ENUM_SET, type, null);
        }
        if (type == String[].class && unwrap(serializer) instanceof DefaultArraySerializers.StringArraySerializer) {
            return simple(Kind.STRING_ARRAY, type, null);
        }
        if (type.isArray() && !type.getComponentType().isPrimitive()
                && unwrap(serializer) instanceof DefaultArraySerializers.ObjectArraySerializer) {
            return simple(Kind.OBJECT_ARRAY, type, null);
        }
        return simple(Kind.ENCODED, type, null);
    }

    private static ClassShape simple(Kind kind, Class<?> type, Serializer<?> rejecting) {
        return new ClassShape(kind, type, new Field[0], false, rejecting);
    }

    /** Value kinds are hashed from their state only while Kryo's (or our) stock serializer writes them. */
    private static boolean isKryoDefault(Serializer<?> serializer) {
        Serializer<?> s = unwrap(serializer);
        String name = s.getClass().getName();
        return name.startsWith(DefaultSerializers.class.getName()) || name.startsWith(DefaultArraySerializers.class.getName())
                || name.startsWith("com.esotericsoftware.kryo.serializers.TimeSerializers");
    }

    private static Serializer<?> unwrap(Serializer<?> serializer) {
        return serializer instanceof KryoSerializers.LengthGuard guard ? guard.delegate() : serializer;
    }

    private static Field[] recordFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields.toArray(new Field[0]);
    }

    private static byte fieldKind(Class<?> type) {
        if (!type.isPrimitive()) {
            return REF;
        }
        if (type == int.class) {
            return F_INT;
        }
        if (type == long.class) {
            return F_LONG;
        }
        if (type == boolean.class) {
            return F_BOOLEAN;
        }
        if (type == double.class) {
            return F_DOUBLE;
        }
        if (type == float.class) {
            return F_FLOAT;
        }
        if (type == short.class) {
            return F_SHORT;
        }
        if (type == char.class) {
            return F_CHAR;
        }
        return F_BYTE;
    }
}
