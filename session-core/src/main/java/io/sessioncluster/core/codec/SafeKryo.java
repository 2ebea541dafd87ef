package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.IdentityObjectIntMap;
import com.esotericsoftware.kryo.util.IntMap;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import com.esotericsoftware.kryo.util.ObjectMap;
import org.objenesis.strategy.StdInstantiatorStrategy;

import java.io.Serializable;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Kryo instance of {@link KryoAttributeCodec}: not thread-safe, pooled by the codec. It decides, once per
 * class it meets, whether the class may be encoded and which serializer does it:
 * <ol>
 *   <li>a class outside the allow-list gets a serializer that refuses every instance: a disallowed class fails
 *       at the writer, however deep in the graph, and is never instantiated by a reader (classes read by name
 *       are refused earlier still, before they are loaded, by {@link AllowListClassResolver});</li>
 *   <li>lambdas and proxies cannot be recreated elsewhere and are refused;</li>
 *   <li>enums by name and records by component name, for class evolution;</li>
 *   <li>application classes with Java serialization hooks go through Java serialization;</li>
 *   <li>JDK value types through Kryo's serializers; collections and maps through {@link KryoCollections};</li>
 *   <li>everything else through {@link KryoEvolving.CompatibleFields}, which survives added and removed fields.</li>
 * </ol>
 */
final class SafeKryo extends Kryo {

    /** Deep enough for real session graphs, shallow enough that hostile nesting cannot overflow the stack. */
    static final int MAX_DEPTH = 256;

    private static final Map<Class<?>, Serializer<?>> JDK_VALUES = Map.of(
            UUID.class, new DefaultSerializers.UUIDSerializer(),
            URI.class, new DefaultSerializers.URISerializer(),
            Timestamp.class, new DefaultSerializers.TimestampSerializer(), // Kryo's default for Date drops the nanos
            AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer(),
            AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer(),
            AtomicLong.class, new DefaultSerializers.AtomicLongSerializer());

    /**
     * JDK classes common in sessions, written as a one-byte id instead of by name: the position in this list
     * is the id on the wire, offset by {@link #FIRST_WELL_KNOWN_ID} (Kryo's own primitives and String use 0-8).
     * Every node must agree, so the list is append-only: never reorder or remove an entry.
     */
    private static final List<Class<?>> WELL_KNOWN = List.of(
            Object[].class, String[].class, byte[].class, int[].class, long[].class, char[].class, double[].class,
            boolean[].class, ArrayList.class, LinkedList.class, HashMap.class, LinkedHashMap.class, TreeMap.class,
            HashSet.class, LinkedHashSet.class, TreeSet.class, ConcurrentHashMap.class, CopyOnWriteArrayList.class,
            ArrayDeque.class, List.of().getClass(), List.of(1).getClass(), Set.of().getClass(), Set.of(1).getClass(),
            Map.of().getClass(), Map.of(1, 1).getClass(), Collections.emptyList().getClass(),
            Collections.emptySet().getClass(), Collections.emptyMap().getClass(),
            Collections.singletonList(1).getClass(), Collections.singleton(1).getClass(),
            Collections.singletonMap(1, 1).getClass(), Collections.unmodifiableList(new ArrayList<>()).getClass(),
            Collections.unmodifiableSet(new HashSet<>()).getClass(), Collections.unmodifiableMap(new HashMap<>()).getClass(),
            Arrays.asList().getClass(), EnumSet.class, EnumMap.class, BigDecimal.class, BigInteger.class, UUID.class,
            Date.class, Locale.class, Currency.class, URI.class, Optional.class, Instant.class, LocalDate.class,
            LocalTime.class, LocalDateTime.class, ZonedDateTime.class, OffsetDateTime.class, Duration.class,
            Period.class, ZoneOffset.class, ZoneId.of("Europe/Paris").getClass(), Timestamp.class, java.sql.Date.class);
    static final int FIRST_WELL_KNOWN_ID = 16;

    private final ClassAllowList allowList;
    private final Serializer<Object> javaSerialization;
    private long graph;

    SafeKryo(ClassAllowList allowList, ClassLoader loader, JavaAttributeCodec java, int maxBytes) {
        super(new AllowListClassResolver(allowList), new ValueAwareReferenceResolver());
        this.allowList = allowList;
        this.javaSerialization = new KryoSerializers.JavaSerialization(java, maxBytes);
        setRegistrationRequired(false); // classes are named in the stream; the allow-list decides instead
        setReferences(true);            // shared references and cycles in attribute graphs must survive
        setClassLoader(loader);
        // Constructors run when there is a no-arg one (field initialisers apply), Objenesis otherwise.
        setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        // Writing every field's class costs a byte or two, and keeps old bytes readable when generic types change.
        setOptimizedGenerics(false);
        setMaxDepth(MAX_DEPTH);
        for (int i = 0; i < WELL_KNOWN.size(); i++) {
            register(WELL_KNOWN.get(i), FIRST_WELL_KNOWN_ID + i); // serializers still come from getDefaultSerializer
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Serializer getDefaultSerializer(Class type) {
        if (!allowList.allows(type)) {
            return new KryoSerializers.Rejecting(CodecException.Reason.CLASS_NOT_ALLOWED,
                    CodecFormat.notAllowed(allowList, type.getName()).getMessage());
        }
        if (type.isHidden() || Proxy.isProxyClass(type)) {
            return new KryoSerializers.Rejecting(CodecException.Reason.NOT_ENCODABLE, "class [" + type.getName()
                    + "] is a lambda or a proxy, which another node cannot recreate");
        }
        if (Enum.class.isAssignableFrom(type) && type != Enum.class) {
            return new KryoEvolving.EnumByName(type.isEnum() ? type : type.getSuperclass());
        }
        if (type.isRecord()) {
            return new KryoEvolving.CompatibleRecord(type);
        }
        if (!KryoSerializers.isJdk(type) && KryoSerializers.usesJavaHooks(type)) {
            return javaSerialization;
        }
        Serializer<?> jdkValue = JDK_VALUES.get(type);
        if (jdkValue != null) {
            return jdkValue;
        }
        Serializer<?> chosen = super.getDefaultSerializer(type);
        if (chosen instanceof CollectionSerializer) {
            return KryoCollections.forCollection(type, javaSerialization);
        }
        if (chosen instanceof MapSerializer) {
            return KryoCollections.forMap(type, javaSerialization);
        }
        if (type.isArray()) {
            return new KryoSerializers.LengthGuard(chosen);
        }
        return chosen;
    }

    /** Counts object graphs, so serializers can keep per-graph state in fields instead of a map lookup per object. */
    @Override
    public void reset() {
        super.reset();
        graph++;
    }

    /** The number of the graph being written or read; changes whenever Kryo resets. */
    static long graph(Kryo kryo) {
        return ((SafeKryo) kryo).graph;
    }

    /** Called when no default serializer matched: plain classes. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Serializer newDefaultSerializer(Class type) {
        if (KryoSerializers.isJdk(type)) {
            // Java 17 keeps JDK internals closed to reflection, so field copying is not an option.
            return Serializable.class.isAssignableFrom(type) ? javaSerialization
                    : new KryoSerializers.Rejecting(CodecException.Reason.NOT_ENCODABLE,
                    "class [" + type.getName() + "] is neither serializable nor supported by the kryo codec");
        }
        return new KryoEvolving.CompatibleFields<>(this, type);
    }

    /**
     * References (shared instances, cycles) for everything except immutable values whose identity carries no
     * meaning: java.time classes are value-based (the JDK says identity must not be relied on), and BigDecimal,
     * BigInteger and UUID are immutable values. Skipping them saves a byte and an identity-map entry each.
     * Strings keep references: repeated instances then cost a back-reference instead of their text.
     */
    static final class ValueAwareReferenceResolver extends MapReferenceResolver {
        private static final ClassValue<Boolean> VALUE_BASED = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                return type == BigDecimal.class || type == BigInteger.class || type == UUID.class
                        || (type.getName().startsWith("java.time.") && KryoSerializers.isJdk(type));
            }
        };

        @Override
        public boolean useReferences(Class type) {
            return super.useReferences(type) && !VALUE_BASED.get(type);
        }

        static boolean isValueBased(Class<?> type) {
            return VALUE_BASED.get(type);
        }
    }

    /**
     * Kryo's name-based class resolution with the allow-list checked before {@code Class.forName}: loading alone
     * can run code in some class loaders, and a name in the stream is attacker-controlled data. Unlike Kryo's
     * resolver it never falls back to Kryo's own class loader, which may see classes the application cannot.
     */
    static final class AllowListClassResolver extends DefaultClassResolver {
        private static final int MAX_NAME_LENGTH = 1024;
        private final ClassAllowList allowList;
        private String previousName = "";

        AllowListClassResolver(ClassAllowList allowList) {
            this.allowList = allowList;
        }

        /**
         * Writes a class name the first time a graph meets it, as the length of the prefix it shares with the
         * previous name plus the rest: names of one application share long package prefixes, and this halves
         * what class names cost in a typical session.
         */
        @Override
        protected void writeName(Output output, Class type, Registration registration) {
            output.writeByte(1); // NAME + 2, as in DefaultClassResolver
            int nameId = classToNameId == null ? -1 : classToNameId.get(type, -1);
            if (nameId != -1) {
                output.writeVarInt(nameId, true);
                return;
            }
            if (classToNameId == null) {
                classToNameId = new IdentityObjectIntMap<>();
            }
            classToNameId.put(type, nextNameId);
            output.writeVarInt(nextNameId++, true);
            String name = type.getName();
            int shared = 0;
            int max = Math.min(name.length(), previousName.length());
            while (shared < max && name.charAt(shared) == previousName.charAt(shared)) {
                shared++;
            }
            output.writeVarInt(shared, true);
            output.writeString(name.substring(shared));
            previousName = name;
        }

        @Override
        protected Registration readName(Input input) {
            int nameId = input.readVarInt(true);
            if (nameIdToClass == null) {
                nameIdToClass = new IntMap<>();
            }
            Class<?> type = nameIdToClass.get(nameId);
            if (type == null) {
                int shared = input.readVarInt(true);
                String rest = input.readString();
                if (shared < 0 || shared > previousName.length() || rest == null) {
                    throw new CodecException(CodecException.Reason.CORRUPT, "stream names a class with an impossible name");
                }
                String className = previousName.substring(0, shared) + rest;
                previousName = className;
                type = getTypeByName(className); // cache of names this instance resolved before: all allowed
                if (type == null) {
                    type = load(className);
                    if (nameToClass == null) {
                        nameToClass = new ObjectMap<>();
                    }
                    nameToClass.put(className, type);
                }
                nameIdToClass.put(nameId, type);
            }
            return kryo.getRegistration(type);
        }

        @Override
        public void reset() {
            super.reset();
            previousName = "";
        }

        private Class<?> load(String className) {
            if (!isClassName(className)) {
                // Not echoed: garbage bytes read as a name could be a fragment of some other value.
                throw new CodecException(CodecException.Reason.CORRUPT, "stream names a class with an impossible name");
            }
            if (!allowList.allows(className)) {
                throw CodecFormat.notAllowed(allowList, className);
            }
            try {
                return Class.forName(className, false, kryo.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new CodecException(CodecException.Reason.CLASS_NOT_FOUND,
                        "class [" + className + "] is allowed but missing on this node", e);
            }
        }

        /** Binary names as {@link Class#getName()} spells them, arrays included. */
        private static boolean isClassName(String name) {
            if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!Character.isJavaIdentifierPart(c) && c != '.' && c != '[' && c != ';') {
                    return false;
                }
            }
            return true;
        }
    }
}
