package io.sessioncluster.core.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;
import java.util.UUID;

/**
 * Values that cannot change after {@code setAttribute}: reading them needs no in-place mutation check,
 * which keeps read-mostly requests from encoding anything.
 */
public final class ImmutableValues {

    private static final Set<Class<?>> TYPES = Set.of(String.class, Boolean.class, Byte.class, Short.class,
            Character.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
            BigDecimal.class, UUID.class, java.time.Instant.class, java.time.LocalDate.class,
            java.time.LocalDateTime.class, java.time.LocalTime.class, java.time.OffsetDateTime.class,
            java.time.ZonedDateTime.class, java.time.Duration.class, java.time.Period.class,
            java.time.ZoneOffset.class, java.util.Locale.class);

    private ImmutableValues() {
    }

    public static boolean isImmutable(Object value) {
        return value == null || value instanceof Enum<?> || TYPES.contains(value.getClass());
    }
}
