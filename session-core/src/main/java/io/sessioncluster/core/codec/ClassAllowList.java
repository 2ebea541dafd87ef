package io.sessioncluster.core.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The classes a codec may instantiate when it decodes bytes. Decoding a class outside this list is
 * refused before the class is loaded: gadget chains need classes the application never meant to store.
 *
 * <p>Patterns: {@code com.example.Cart} (one class, and its nested classes), {@code com.example.*}
 * (classes of one package), {@code com.example.**} (a package and all its sub-packages). A built-in list
 * of JDK value and collection types is always allowed; arrays are allowed when their element type is.
 */
public final class ClassAllowList {

    private static final Pattern PATTERN =
            Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*(\\.\\*\\*?)?");

    /** JDK types that carry data only: no type here runs code of its own choosing while decoded. */
    static final List<String> BUILT_IN = List.of(
            "java.lang.Object", "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short",
            "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
            "java.lang.Number", "java.lang.Enum", "java.lang.Record",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.time.**",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet",
            "java.util.TreeSet", "java.util.EnumMap", "java.util.EnumSet", "java.util.RegularEnumSet",
            "java.util.JumboEnumSet", "java.util.Date", "java.util.UUID", "java.util.Locale", "java.util.Currency",
            "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble",
            "java.util.Collections$*", "java.util.ImmutableCollections$*", "java.util.Arrays$ArrayList",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentSkipListMap",
            "java.util.concurrent.CopyOnWriteArrayList", "java.util.concurrent.atomic.AtomicInteger",
            "java.util.concurrent.atomic.AtomicLong", "java.util.concurrent.atomic.AtomicBoolean",
            "java.net.URI", "java.sql.Timestamp", "java.sql.Date", "java.sql.Time",
            // What Java serialization of the types above writes besides themselves: the serial proxy of
            // List.of/Set.of/Map.of, the table type HashMap and HashSet check before allocating, and the
            // lock-based segments ConcurrentHashMap still writes for compatibility (an int of state each).
            "java.util.CollSer", "java.util.Map$Entry", "java.util.concurrent.locks.ReentrantLock",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractOwnableSynchronizer");

    private static final Set<String> PRIMITIVES =
            Set.of("boolean", "byte", "short", "char", "int", "long", "float", "double", "void");

    private final List<String> exact = new ArrayList<>();
    private final List<String> packages = new ArrayList<>();
    private final List<String> trees = new ArrayList<>();
    /** {@code exact} with a {@code $} appended: the prefix of their nested classes. */
    private final List<String> nestedPrefixes = new ArrayList<>();
    private final List<String> userPatterns;
    /** The list is fixed once built, so each class is judged once: encoding checks classes on every request. */
    private final ClassValue<Boolean> judged = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return judge(type);
        }
    };

    private ClassAllowList(List<String> userPatterns) {
        this.userPatterns = List.copyOf(userPatterns);
        BUILT_IN.forEach(this::addPattern);
        userPatterns.forEach(this::addPattern);
        exact.forEach(candidate -> nestedPrefixes.add(candidate + "$"));
    }

    /** The built-in list plus {@code userPatterns}, each checked by {@link #parse}. */
    public static ClassAllowList of(List<String> userPatterns) {
        for (String pattern : userPatterns) {
            requireValid(pattern);
        }
        return new ClassAllowList(userPatterns);
    }

    /**
     * Parses a comma- or whitespace-separated list of patterns.
     *
     * @throws IllegalArgumentException naming the first malformed pattern
     */
    public static ClassAllowList parse(String commaSeparated) {
        List<String> patterns = new ArrayList<>();
        for (String part : commaSeparated.split("[,\\s]+")) {
            if (!part.isEmpty()) {
                patterns.add(requireValid(part));
            }
        }
        return new ClassAllowList(patterns);
    }

    /** The patterns the user added to the built-in list. */
    public List<String> userPatterns() {
        return userPatterns;
    }

    /** True if a class of this binary name (as {@link Class#getName()} spells it) may be decoded. */
    public boolean allows(String className) {
        String name = elementName(className);
        if (name == null) {
            return false;
        }
        if (PRIMITIVES.contains(name)) {
            return true;
        }
        for (int i = 0; i < exact.size(); i++) {
            if (name.equals(exact.get(i)) || name.startsWith(nestedPrefixes.get(i))) {
                return true;
            }
        }
        int lastDot = name.lastIndexOf('.');
        String pkg = lastDot < 0 ? "" : name.substring(0, lastDot);
        for (String candidate : packages) {
            if (pkg.equals(candidate)) {
                return true;
            }
        }
        for (String candidate : trees) {
            if (pkg.equals(candidate) || pkg.startsWith(candidate + ".")) {
                return true;
            }
        }
        return false;
    }

    public boolean allows(Class<?> type) {
        return judged.get(type);
    }

    private boolean judge(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (!element.isEnum() && element.isAnonymousClass() && element.getSuperclass().isEnum()) {
            // An enum constant with a body is an anonymous subclass; judge its declaring enum. Other anonymous
            // classes are judged by their own name (Outer$1), as a decoder sees them.
            return allows(element.getSuperclass().getName());
        }
        return allows(element.getName());
    }

    /** Strips array brackets: {@code [[Lcom.x.Foo;} becomes {@code com.x.Foo}, {@code [I} becomes {@code int}. */
    private static String elementName(String className) {
        if (className == null || className.isEmpty()) {
            return null;
        }
        int dims = 0;
        while (dims < className.length() && className.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return className;
        }
        String rest = className.substring(dims);
        if (rest.startsWith("L") && rest.endsWith(";") && rest.length() > 2) {
            return rest.substring(1, rest.length() - 1);
        }
        return switch (rest) {
            case "Z" -> "boolean";
            case "B" -> "byte";
            case "S" -> "short";
            case "C" -> "char";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            default -> null;
        };
    }

    private static String requireValid(String pattern) {
        // '$' is a legal identifier part, so nested classes such as Outer$Inner pass.
        if (!PATTERN.matcher(pattern).matches()) {
            throw new IllegalArgumentException("[" + pattern + "] is not a class name, package.* or package.**");
        }
        return pattern;
    }

    private void addPattern(String pattern) {
        if (pattern.endsWith(".**")) {
            trees.add(pattern.substring(0, pattern.length() - 3));
        } else if (pattern.endsWith(".*")) {
            packages.add(pattern.substring(0, pattern.length() - 2));
        } else if (pattern.endsWith("$*")) {
            exact.add(pattern.substring(0, pattern.length() - 2));
        } else {
            exact.add(pattern);
        }
    }

    @Override
    public String toString() {
        return "ClassAllowList[built-in + " + userPatterns + "]";
    }
}
