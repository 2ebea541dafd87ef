package io.sessioncluster.core.codec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Values that cannot change after {@code setAttribute}: reading them needs no in-place mutation check,
 * which keeps read-mostly requests from encoding anything.
 *
 * <p>Besides JDK value types and enums, an application class counts when it is deeply immutable, decided once
 * per class: every instance field, its own and inherited, is {@code final} and of a primitive type or of a
 * {@code final} class that is itself deeply immutable (records of such components qualify). A field of an
 * interface or open class type (a {@code List}, an {@code Object}) or an array disqualifies, since what it holds
 * could change. Only the value's own class may be open: it is the exact class, so no subclass adds state.
 */
public final class ImmutableValues {

    private static final Set<Class<?>> TYPES = Set.of(String.class, Boolean.class, Byte.class, Short.class,
            Character.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
            BigDecimal.class, UUID.class, java.time.Instant.class, java.time.LocalDate.class,
            java.time.LocalDateTime.class, java.time.LocalTime.class, java.time.OffsetDateTime.class,
            java.time.OffsetTime.class, java.time.ZonedDateTime.class, java.time.Duration.class,
            java.time.Period.class, java.time.Year.class, java.time.YearMonth.class, java.time.MonthDay.class,
            java.time.ZoneOffset.class, java.time.ZoneId.of("Europe/Paris").getClass(), Locale.class,
            Currency.class);

    private static final ClassValue<Boolean> IMMUTABLE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isKnown(type) || !type.isArray() && !isJdk(type) && fieldsImmutable(type, new HashSet<>());
        }
    };

    private ImmutableValues() {
    }

    public static boolean isImmutable(Object value) {
        return value == null || IMMUTABLE.get(value.getClass());
    }

    private static boolean isKnown(Class<?> type) {
        return type.isPrimitive() || TYPES.contains(type) || Enum.class.isAssignableFrom(type);
    }

    /** The type of a field: its value is of this class or, if the class is open, of any subclass. */
    private static boolean fieldTypeImmutable(Class<?> type, Set<Class<?>> visiting) {
        if (isKnown(type)) {
            return true;
        }
        return Modifier.isFinal(type.getModifiers()) && !type.isArray() && !isJdk(type)
                && fieldsImmutable(type, visiting);
    }

    private static boolean fieldsImmutable(Class<?> type, Set<Class<?>> visiting) {
        if (!visiting.add(type)) {
            return true; // a cycle (a node pointing at a node): decided by the other fields
        }
        try {
            for (Class<?> c = type; c != null && c != Object.class && c != Record.class; c = c.getSuperclass()) {
                if (isJdk(c)) {
                    return false; // JDK internals are not ours to judge, except the known types above
                }
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers)) {
                        continue;
                    }
                    if (!Modifier.isFinal(modifiers) || !fieldTypeImmutable(field.getType(), visiting)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (LinkageError | SecurityException e) {
            return false; // a field type that cannot be loaded: check it like any mutable value
        }
    }

    private static boolean isJdk(Class<?> type) {
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.");
    }
}
