package io.sessioncluster.core.codec;

import net.openhft.hashing.LongHashFunction;

import java.lang.reflect.Field;
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
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.Date;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The in-place mutation check near its physical limit: a 64-bit hash of the state the Kryo codec would encode,
 * computed by walking the object graph and hashing field values directly, with no buffer, no class or field names
 * (each class counts as a constant computed once) and no boxing of primitive fields. It sees what the encoding
 * sees ({@link ClassShape}): the same fields, elements and comparators, the same sharing (a second occurrence of an
 * instance is a back-reference numbered in walk order, as Kryo numbers them), and the bytes themselves for classes
 * whose serializer it does not know.
 *
 * <p>The value is not the hash of the encoded bytes and is only comparable with another value of this walk, on this
 * node: a loaded attribute's fingerprint is computed from the decoded object, not from the stored bytes. Hash maps
 * and sets are walked in their iteration order, which stays the same for as long as the map is not changed, so an
 * untouched attribute always has the same fingerprint. {@code GraphFingerprintEquivalenceTest} checks, on random
 * graphs and random mutations, that it changes whenever the encoding changes.
 *
 * <p>One instance per pooled Kryo: not thread-safe.
 */
final class GraphFingerprint {

    private static final LongHashFunction XX3 = LongHashFunction.xx3();
    private static final long NULL = 0x5bd1e9955bd1e995L;
    private static final long BACK_REFERENCE = 0x27d4eb2f165667c5L;
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;

    private final SafeKryo kryo;
    private final ClassValue<ClassShape> shapes;
    private final ToLongFunction<Object> encodedHash;
    /** Objects met so far and their reference numbers. */
    private final IdentityNumbers seen = new IdentityNumbers(256);
    private int depth;
    private long h;

    /**
     * @param shapes      shared by the codec's instances (the shape of a class is the same for all); a
     *                    {@code ClassValue} because a map keyed by classes hashes them by identity, and a class's
     *                    identity hash is slow to read once the class has been locked (class initialisation)
     * @param encodedHash hashes the encoded bytes of a value the walk does not take apart
     */
    GraphFingerprint(SafeKryo kryo, ClassValue<ClassShape> shapes, ToLongFunction<Object> encodedHash) {
        this.kryo = kryo;
        this.shapes = shapes;
        this.encodedHash = encodedHash;
    }

    /**
     * @throws CodecException as encoding would for a class that is not allowed or cannot be encoded; a graph
     *                        changed by another thread during the walk may throw anything (the caller encodes then)
     */
    long of(Object value) {
        h = 0x165667B19E3779F9L;
        depth = 0;
        try {
            walk(value);
            return finish(h);
        } finally {
            seen.clear();
        }
    }

    private void walk(Object value) {
        if (value == null) {
            mix(NULL);
            return;
        }
        ClassShape shape = shape(value.getClass());
        if (shape.tracked) {
            int reference = seen.numberOrAdd(value);
            if (reference >= 0) {
                mix(BACK_REFERENCE);
                mix(reference);
                return;
            }
        }
        mix(shape.classHash);
        if (++depth > SafeKryo.MAX_DEPTH) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                    "object graph nested deeper than " + SafeKryo.MAX_DEPTH);
        }
        try {
            content(value, shape);
        } finally {
            depth--;
        }
    }

    private ClassShape shape(Class<?> type) {
        return shapes.get(type);
    }

    @SuppressWarnings("unchecked")
    private void content(Object value, ClassShape shape) {
        switch (shape.kind) {
            case STRING -> string((String) value);
            case BOOLEAN -> mix((Boolean) value ? 1 : 0);
            case BYTE -> mix((Byte) value);
            case CHAR -> mix((Character) value);
            case SHORT -> mix((Short) value);
            case INT -> mix((Integer) value);
            case LONG -> mix((Long) value);
            case FLOAT -> mix(Float.floatToRawIntBits((Float) value));
            case DOUBLE -> mix(Double.doubleToRawLongBits((Double) value));
            case ENUM -> mix(((Enum<?>) value).ordinal());
            case FIELDS -> fields(value, shape);
            case COLLECTION -> collection((Collection<Object>) value, shape.comparator);
            case MAP -> map((Map<Object, Object>) value, shape.comparator);
            case OBJECT_ARRAY -> {
                Object[] array = (Object[]) value;
                mix(array.length);
                for (Object element : array) {
                    walk(element);
                }
            }
            case STRING_ARRAY -> {
                String[] array = (String[]) value; // Kryo writes these strings as values, without references
                mix(array.length);
                for (String element : array) {
                    if (element == null) {
                        mix(NULL);
                    } else {
                        string(element);
                    }
                }
            }
            case BYTES -> array(((byte[]) value).length, XX3.hashBytes((byte[]) value));
            case CHARS -> array(((char[]) value).length, XX3.hashChars((char[]) value));
            case SHORTS -> array(((short[]) value).length, XX3.hashShorts((short[]) value));
            case INTS -> array(((int[]) value).length, XX3.hashInts((int[]) value));
            case LONGS -> array(((long[]) value).length, XX3.hashLongs((long[]) value));
            case BOOLEANS -> array(((boolean[]) value).length, XX3.hashBooleans((boolean[]) value));
            case FLOATS -> {
                float[] array = (float[]) value;
                mix(array.length);
                for (float f : array) {
                    mix(Float.floatToRawIntBits(f));
                }
            }
            case DOUBLES -> {
                double[] array = (double[]) value;
                mix(array.length);
                for (double d : array) {
                    mix(Double.doubleToRawLongBits(d));
                }
            }
            case BIG_DECIMAL -> bigDecimal((BigDecimal) value);
            case BIG_INTEGER -> bigInteger((BigInteger) value);
            case UUID -> {
                mix(((UUID) value).getMostSignificantBits());
                mix(((UUID) value).getLeastSignificantBits());
            }
            case DATE -> mix(((Date) value).getTime());
            case TIMESTAMP -> {
                mix(((Timestamp) value).getTime());
                mix(((Timestamp) value).getNanos());
            }
            case INSTANT -> {
                mix(((Instant) value).getEpochSecond());
                mix(((Instant) value).getNano());
            }
            case LOCAL_DATE -> mix(((LocalDate) value).toEpochDay());
            case LOCAL_TIME -> mix(((LocalTime) value).toNanoOfDay());
            case LOCAL_DATE_TIME -> localDateTime((LocalDateTime) value);
            case DURATION -> {
                mix(((Duration) value).getSeconds());
                mix(((Duration) value).getNano());
            }
            case ZONED_DATE_TIME -> {
                ZonedDateTime time = (ZonedDateTime) value;
                localDateTime(time.toLocalDateTime());
                string(time.getZone().getId());
            }
            case OFFSET_DATE_TIME -> {
                OffsetDateTime time = (OffsetDateTime) value;
                localDateTime(time.toLocalDateTime());
                mix(time.getOffset().getTotalSeconds());
            }
            case ZONE_ID -> string(((ZoneId) value).getId());
            case CURRENCY -> string(((Currency) value).getCurrencyCode());
            case LOCALE -> {
                Locale locale = (Locale) value; // what Kryo writes of a locale
                string(locale.getLanguage());
                string(locale.getCountry());
                string(locale.getVariant());
            }
            case ENUM_SET -> enumSet((EnumSet<?>) value);
            case ATOMIC_BOOLEAN -> mix(((AtomicBoolean) value).get() ? 1 : 0);
            case ATOMIC_INT -> mix(((AtomicInteger) value).get());
            case ATOMIC_LONG -> mix(((AtomicLong) value).get());
            case ENCODED -> mix(encodedHash.applyAsLong(value));
            case REJECTED -> shape.rejecting.write(kryo, null, null); // throws the codec's own refusal
        }
    }

    private void fields(Object value, ClassShape shape) {
        Field[] fields = shape.fields;
        byte[] kinds = shape.fieldKinds;
        try {
            for (int i = 0; i < fields.length; i++) {
                Field field = fields[i];
                switch (kinds[i]) {
                    case ClassShape.F_INT -> mix(field.getInt(value));
                    case ClassShape.F_LONG -> mix(field.getLong(value));
                    case ClassShape.F_BOOLEAN -> mix(field.getBoolean(value) ? 1 : 0);
                    case ClassShape.F_DOUBLE -> mix(Double.doubleToRawLongBits(field.getDouble(value)));
                    case ClassShape.F_FLOAT -> mix(Float.floatToRawIntBits(field.getFloat(value)));
                    case ClassShape.F_SHORT -> mix(field.getShort(value));
                    case ClassShape.F_CHAR -> mix(field.getChar(value));
                    case ClassShape.F_BYTE -> mix(field.getByte(value));
                    default -> walk(field.get(value));
                }
            }
        } catch (IllegalAccessException e) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                    "cannot read the fields of [" + value.getClass().getName() + "]", e);
        }
    }

    private void collection(Collection<Object> collection, boolean withComparator) {
        mix(collection.size());
        if (withComparator) {
            walk(collection instanceof SortedSet<?> sorted ? sorted.comparator()
                    : ((PriorityQueue<?>) collection).comparator());
        }
        for (Object element : collection) {
            walk(element);
        }
    }

    private void map(Map<Object, Object> map, boolean withComparator) {
        mix(map.size());
        if (withComparator) {
            Comparator<?> comparator = ((SortedMap<?, ?>) map).comparator();
            walk(comparator);
        }
        for (Map.Entry<Object, Object> entry : map.entrySet()) {
            walk(entry.getKey());
            walk(entry.getValue());
        }
    }

    private void localDateTime(LocalDateTime time) {
        mix(time.toLocalDate().toEpochDay());
        mix(time.toLocalTime().toNanoOfDay());
    }

    /** Kryo writes the enum class and the ordinals, without references; an empty set's class is not reachable here. */
    private void enumSet(EnumSet<?> set) {
        if (set.isEmpty()) {
            mix(encodedHash.applyAsLong(set));
            return;
        }
        mix(set.size());
        boolean first = true;
        for (Enum<?> constant : set) {
            if (first) {
                mix(shape(constant.getDeclaringClass()).classHash);
                first = false;
            }
            mix(constant.ordinal());
        }
    }

    /**
     * FNV-1a over the characters, then the string's own cached {@code hashCode}: most session strings are short, and
     * a general hash function's set-up costs more than the loop (XXH3 was a fifth of the walk).
     */
    private void string(String s) {
        int length = s.length();
        long x = 0xcbf29ce484222325L ^ length;
        for (int i = 0; i < length; i++) {
            x = (x ^ s.charAt(i)) * 0x100000001b3L;
        }
        mix(x);
        mix(s.hashCode());
    }

    private void array(int length, long contentHash) {
        mix(length);
        mix(contentHash);
    }

    /**
     * Scale and unscaled value, as Kryo writes them. A price has at most 15 digits and a small scale: its double is
     * then exact enough to tell every unscaled value of that scale apart (below 2^53, the division by a power of ten
     * is correctly rounded and distinct integers stay distinct), with no {@code BigInteger} allocated.
     */
    private void bigDecimal(BigDecimal decimal) {
        int scale = decimal.scale();
        mix(scale);
        if (scale >= 0 && scale <= 22 && decimal.precision() <= 15) {
            mix(Double.doubleToRawLongBits(decimal.doubleValue()));
        } else {
            bigInteger(decimal.unscaledValue());
        }
    }

    private void bigInteger(BigInteger value) {
        if (value.bitLength() < 64) {
            mix(value.longValue());
        } else {
            mix(XX3.hashBytes(value.toByteArray()));
        }
    }

    /** One round of XXH64's accumulator: every input moves all 64 bits of the state. */
    private void mix(long input) {
        h = Long.rotateLeft(h + input * P2, 31) * P1;
    }

    /** MurmurHash3's finalizer. */
    private static long finish(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
