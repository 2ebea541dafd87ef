package io.sessioncluster.core.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The classes a codec may instantiate when it decodes bytes. Decoding a class outside this list is
 * refused before the class is loaded: gadget chains need classes the application never meant to store.
 *
 * <p>Patterns: {@code com.example.Cart} (one class, and its nested classes), {@code com.example.*}
 * (classes of one package), {@code com.example.**} (a package and all its sub-packages). A built-in list
 * of JDK value and collection types is always allowed; arrays are allowed when their element type is.
 *
 * <p>An embedding may add an admission rule by name ({@link #admitting}): the Tomcat adapter admits the classes a
 * web application defines itself (its {@code WEB-INF/classes}), deciding from the class's resource, never by
 * loading it. Names reach the rule only when they are well-formed class names, and each answer is remembered.
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
    /** Admits further classes by name (see {@link #admitting}), or null. */
    private final Predicate<String> admission;
    /** Answers of {@link #admission}: names can come from stored bytes, so the memo is bounded. */
    private final Map<String, Boolean> admitted = new ConcurrentHashMap<>();
    /** Classes refused so far, so that only the first refusal of each is logged. */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private static final int MAX_REMEMBERED = 4096;
    /** The list is fixed once built, so each class is judged once: encoding checks classes on every request. */
    private final ClassValue<Boolean> judged = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return judge(type);
        }
    };

    private ClassAllowList(List<String> userPatterns) {
        this(userPatterns, null);
    }

    private ClassAllowList(List<String> userPatterns, Predicate<String> admission) {
        this.userPatterns = List.copyOf(userPatterns);
        this.admission = admission;
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

    /**
     * This list, plus the classes {@code admission} admits by binary name (array brackets stripped). The rule must
     * not load or initialize the class: a name may come from stored bytes.
     */
    public ClassAllowList admitting(Predicate<String> admission) {
        return new ClassAllowList(userPatterns, Objects.requireNonNull(admission, "admission"));
    }

    /**
     * The {@code allowedClasses} value that would admit {@code className}: the patterns configured now, with it
     * appended. For messages: the operator can copy it.
     */
    public String suggestionFor(String className) {
        String name = elementName(className);
        List<String> patterns = new ArrayList<>(userPatterns);
        patterns.add(name == null ? className : name);
        return String.join(",", patterns);
    }

    /** True the first time a class is refused (bounded memory), for a log line per class. */
    boolean firstRefusal(String className) {
        if (refused.size() >= MAX_REMEMBERED) {
            return false;
        }
        return refused.add(className);
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
        return admission != null && admittedByRule(name);
    }

    private boolean admittedByRule(String name) {
        if (!PATTERN.matcher(name).matches() || name.endsWith(".*") || name.endsWith(".**")) {
            return false; // not a class name: nothing to look up
        }
        Boolean known = admitted.get(name);
        if (known != null) {
            return known;
        }
        boolean answer = admission.test(name);
        if (admitted.size() >= MAX_REMEMBERED) {
            admitted.clear(); // names from hostile bytes must not grow the memo without bound
        }
        admitted.put(name, answer);
        return answer;
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
        return "ClassAllowList[built-in + " + userPatterns + (admission == null ? "" : " + admission rule") + "]";
    }
}
