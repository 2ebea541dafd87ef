package io.sessioncluster.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One named setting: an attribute of the {@code <Manager>} element, or a Spring Boot property. It knows
 * its default, what values it allows (in words, for error messages and documentation) and how to parse
 * them. Parsing failures become one line of a {@link ConfigException}.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {

    private final String name;
    private final String defaultValue;
    private final String allowed;
    private final String description;
    private final boolean secret;
    private final Function<String, T> parser;

    private Setting(String name, String defaultValue, String allowed, String description, boolean secret,
                    Function<String, T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.description = Objects.requireNonNull(description, "description");
        this.secret = secret;
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * A setting with a custom parser. The parser throws {@link IllegalArgumentException} for a bad value;
     * its message, if any, is appended to {@code allowed} in the error.
     *
     * @param defaultValue the default in its textual form, or null if the setting is required
     */
    public static <T> Setting<T> of(String name, String defaultValue, String allowed, String description,
                                    Function<String, T> parser) {
        return new Setting<>(name, defaultValue, allowed, description, false, parser);
    }

    public static Setting<String> text(String name, String defaultValue, String description) {
        return of(name, defaultValue, "any text", description, Function.identity());
    }

    public static Setting<Boolean> bool(String name, boolean defaultValue, String description) {
        return of(name, Boolean.toString(defaultValue), "true, false", description, raw -> switch (raw) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        });
    }

    public static Setting<Integer> integer(String name, int defaultValue, int min, int max, String description) {
        return of(name, Integer.toString(defaultValue), "an integer from " + min + " to " + max, description, raw -> {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /** Enum constants written in lower case with dashes, e.g. {@code PRIMARY_BACKUP} as {@code primary-backup}. */
    public static <E extends Enum<E>> Setting<E> oneOf(String name, E defaultValue, String description) {
        Class<E> type = defaultValue.getDeclaringClass();
        String allowed = Arrays.stream(type.getEnumConstants()).map(Setting::text).collect(Collectors.joining(", "));
        return of(name, text(defaultValue), allowed, description, raw -> {
            for (E constant : type.getEnumConstants()) {
                if (text(constant).equals(raw)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException();
        });
    }

    /** This setting with its value masked in every message, for passwords and URIs that may hold one. */
    public Setting<T> secret() {
        return new Setting<>(name, defaultValue, allowed, description, true, parser);
    }

    public String name() {
        return name;
    }

    /** The default in textual form, or null if the setting is required. */
    public String defaultValue() {
        return defaultValue;
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** The allowed values in words, e.g. {@code sync, async}. */
    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    /** Parses {@code raw}, or throws {@link IllegalArgumentException} with a message fit for the user. */
    public T parse(String raw) {
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            String detail = e instanceof NumberFormatException || e.getMessage() == null ? "" : " (" + masked(e.getMessage(), raw) + ")";
            throw new IllegalArgumentException(name + " [" + shown(raw) + "]: allowed are " + allowed + detail, e);
        }
    }

    /**
     * A secret's parser must word its messages without the value's secret parts (it knows where they are);
     * as a safety net, the whole raw value is masked should it appear anyway.
     */
    private String masked(String message, String raw) {
        return secret && !raw.isBlank() ? message.replace(raw, "****").replace(raw.trim(), "****") : message;
    }

    /** The value as it may appear in a message: masked if secret. */
    public String shown(String raw) {
        return secret ? "****" : raw;
    }

    private static String text(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return name;
    }
}
