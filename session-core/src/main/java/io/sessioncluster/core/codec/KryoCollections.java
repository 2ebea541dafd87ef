package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Collections and maps, replacing Kryo's {@code CollectionSerializer} and {@code MapSerializer} family for three
 * reasons: they allocate as many slots as a length prefix says and add that many nulls for a one-byte "all
 * null" marker (garbage could exhaust the heap); they cannot rebuild {@code Collections.unmodifiableList} and
 * friends on Java 17, whose wrapped field is closed to reflection; and several JDK collections (synchronized,
 * checked, {@code EnumMap}) have no constructor Kryo can call.
 *
 * <p>Format: element count, the comparator for sorted kinds, then every element (keys and values alternating
 * for maps) with its class. Each element takes one byte or more, so the count is claimed from the input's
 * budget before anything is allocated. Elements are copied with {@code toArray()} first, so a concurrent
 * collection changed by another request while it is written still yields a consistent count.
 */
final class KryoCollections {

    /** How a collection is rebuilt: filled in place, or filled as a copy and wrapped or frozen at the end. */
    enum Kind { MUTABLE, SORTED, LIST_OF, SET_OF, ARRAYS_AS_LIST, UNMODIFIABLE_LIST, UNMODIFIABLE_SET,
        UNMODIFIABLE_SORTED_SET, UNMODIFIABLE_COLLECTION, MAP_OF, UNMODIFIABLE_MAP, UNMODIFIABLE_SORTED_MAP }

    private static final String IMMUTABLE = "java.util.ImmutableCollections$";
    private static final String UNMODIFIABLE = "java.util.Collections$Unmodifiable";
    private static final Set<Class<?>> SORTED = Set.of(TreeSet.class, ConcurrentSkipListSet.class,
            PriorityQueue.class, TreeMap.class, ConcurrentSkipListMap.class);

    private KryoCollections() {
    }

    /** The serializer for a {@link Collection} class for which Kryo picked one of its collection serializers. */
    static Serializer<?> forCollection(Class<?> type, Serializer<?> javaSerialization) {
        String name = type.getName();
        if (name.startsWith(IMMUTABLE)) {
            return new CollectionSerializer(List.class.isAssignableFrom(type) ? Kind.LIST_OF : Kind.SET_OF);
        }
        if (name.startsWith(UNMODIFIABLE)) {
            return new CollectionSerializer(List.class.isAssignableFrom(type) ? Kind.UNMODIFIABLE_LIST
                    : SortedSet.class.isAssignableFrom(type) ? Kind.UNMODIFIABLE_SORTED_SET
                    : Set.class.isAssignableFrom(type) ? Kind.UNMODIFIABLE_SET : Kind.UNMODIFIABLE_COLLECTION);
        }
        if (name.equals("java.util.Arrays$ArrayList")) {
            return new CollectionSerializer(Kind.ARRAYS_AS_LIST);
        }
        if (SORTED.contains(type)) {
            return new CollectionSerializer(Kind.SORTED);
        }
        return unlessUnconstructible(type, javaSerialization, new CollectionSerializer(Kind.MUTABLE));
    }

    /** The serializer for a {@link Map} class for which Kryo picked one of its map serializers. */
    static Serializer<?> forMap(Class<?> type, Serializer<?> javaSerialization) {
        String name = type.getName();
        if (name.startsWith(IMMUTABLE)) {
            return new MapSerializer(Kind.MAP_OF);
        }
        if (name.startsWith(UNMODIFIABLE)) {
            return new MapSerializer(SortedMap.class.isAssignableFrom(type) ? Kind.UNMODIFIABLE_SORTED_MAP : Kind.UNMODIFIABLE_MAP);
        }
        if (SORTED.contains(type)) {
            return new MapSerializer(Kind.SORTED);
        }
        return unlessUnconstructible(type, javaSerialization, new MapSerializer(Kind.MUTABLE));
    }

    /**
     * A JDK class without a public no-argument constructor ({@code Collections$SynchronizedList}, {@code EnumMap})
     * would be instantiated empty-handed by Objenesis and break on the first {@code add}; Java serialization
     * rebuilds it properly. Application classes keep Kryo's instantiation (their constructors are reachable).
     */
    private static Serializer<?> unlessUnconstructible(Class<?> type, Serializer<?> javaSerialization, Serializer<?> own) {
        if (!KryoSerializers.isJdk(type) || hasPublicNoArgConstructor(type)) {
            return own;
        }
        if (Serializable.class.isAssignableFrom(type)) {
            return javaSerialization;
        }
        return new KryoSerializers.Rejecting(CodecException.Reason.NOT_ENCODABLE, "class [" + type.getName()
                + "] is a view of another collection and cannot be rebuilt on another node; store a copy");
    }

    private static boolean hasPublicNoArgConstructor(Class<?> type) {
        try {
            type.getConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean writesComparator(Kind kind) {
        return kind == Kind.SORTED || kind == Kind.UNMODIFIABLE_SORTED_SET || kind == Kind.UNMODIFIABLE_SORTED_MAP;
    }

    private static int hashCapacity(int size) {
        return (int) (size / 0.75f) + 1;
    }

    static final class CollectionSerializer extends Serializer<Collection<Object>> {
        private final Kind kind;

        CollectionSerializer(Kind kind) {
            this.kind = kind;
        }

        /** Whether the comparator is written before the elements (read by {@link ClassShape}). */
        boolean writesItsComparator() {
            return writesComparator(kind);
        }

        @Override
        public void write(Kryo kryo, Output output, Collection<Object> collection) {
            Object[] elements = collection.toArray();
            output.writeVarInt(elements.length, true);
            if (writesComparator(kind)) {
                kryo.writeClassAndObject(output, collection instanceof SortedSet<?> sorted ? sorted.comparator()
                        : ((PriorityQueue<?>) collection).comparator());
            }
            for (Object element : elements) {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
            int size = input.readVarInt(true);
            KryoBuffers.LimitedInput.claim(input, size);
            Comparator<Object> comparator = writesComparator(kind) ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
            Collection<Object> target = create(kryo, type, size, comparator);
            if (kind == Kind.MUTABLE || kind == Kind.SORTED) {
                kryo.reference(target); // before the elements, so that an element may refer back to its collection
            }
            for (int i = 0; i < size; i++) {
                target.add(kryo.readClassAndObject(input));
            }
            return switch (kind) {
                case LIST_OF -> List.copyOf(target);
                case SET_OF -> Set.copyOf(target);
                case ARRAYS_AS_LIST -> Arrays.asList(target.toArray());
                case UNMODIFIABLE_LIST -> Collections.unmodifiableList((List<Object>) target);
                case UNMODIFIABLE_SET -> Collections.unmodifiableSet((Set<Object>) target);
                case UNMODIFIABLE_SORTED_SET -> NavigableSet.class.isAssignableFrom(type)
                        ? Collections.unmodifiableNavigableSet((TreeSet<Object>) target)
                        : Collections.unmodifiableSortedSet((TreeSet<Object>) target);
                case UNMODIFIABLE_COLLECTION -> Collections.unmodifiableCollection(target);
                default -> target;
            };
        }

        private Collection<Object> create(Kryo kryo, Class<? extends Collection<Object>> type, int size,
                                          Comparator<Object> comparator) {
            Class<?> c = type;
            return switch (kind) {
                case SORTED -> c == TreeSet.class ? new TreeSet<>(comparator)
                        : c == ConcurrentSkipListSet.class ? new ConcurrentSkipListSet<>(comparator)
                        : new PriorityQueue<>(Math.max(1, size), comparator);
                case UNMODIFIABLE_SORTED_SET -> new TreeSet<>(comparator);
                case UNMODIFIABLE_SET -> new LinkedHashSet<>(hashCapacity(size));
                case MUTABLE -> c == ArrayList.class ? new ArrayList<>(size)
                        : c == HashSet.class ? new HashSet<>(hashCapacity(size))
                        : c == LinkedHashSet.class ? new LinkedHashSet<>(hashCapacity(size))
                        : kryo.newInstance(type);
                default -> new ArrayList<>(size);
            };
        }
    }

    static final class MapSerializer extends Serializer<Map<Object, Object>> {
        private final Kind kind;

        MapSerializer(Kind kind) {
            this.kind = kind;
        }

        /** Whether the comparator is written before the elements (read by {@link ClassShape}). */
        boolean writesItsComparator() {
            return writesComparator(kind);
        }

        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            Object[] entries = map.entrySet().toArray();
            output.writeVarInt(entries.length, true);
            if (writesComparator(kind)) {
                kryo.writeClassAndObject(output, ((SortedMap<?, ?>) map).comparator());
            }
            for (Object entry : entries) {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
                kryo.writeClassAndObject(output, e.getKey());
                kryo.writeClassAndObject(output, e.getValue());
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            int size = input.readVarInt(true);
            KryoBuffers.LimitedInput.claim(input, 2L * size);
            Comparator<Object> comparator = writesComparator(kind) ? (Comparator<Object>) kryo.readClassAndObject(input) : null;
            Class<?> c = type;
            Map<Object, Object> target = switch (kind) {
                case SORTED -> c == TreeMap.class ? new TreeMap<>(comparator) : new ConcurrentSkipListMap<>(comparator);
                case UNMODIFIABLE_SORTED_MAP -> new TreeMap<>(comparator);
                case MAP_OF, UNMODIFIABLE_MAP -> new LinkedHashMap<>(hashCapacity(size));
                default -> c == HashMap.class ? new HashMap<>(hashCapacity(size))
                        : c == LinkedHashMap.class ? new LinkedHashMap<>(hashCapacity(size))
                        : kryo.newInstance(type);
            };
            if (kind == Kind.MUTABLE || kind == Kind.SORTED) {
                kryo.reference(target);
            }
            for (int i = 0; i < size; i++) {
                Object key = kryo.readClassAndObject(input);
                target.put(key, kryo.readClassAndObject(input));
            }
            return switch (kind) {
                case MAP_OF -> Map.copyOf(target);
                case UNMODIFIABLE_MAP -> Collections.unmodifiableMap(target);
                case UNMODIFIABLE_SORTED_MAP -> NavigableMap.class.isAssignableFrom(type)
                        ? Collections.unmodifiableNavigableMap((TreeMap<Object, Object>) target)
                        : Collections.unmodifiableSortedMap((TreeMap<Object, Object>) target);
                default -> target;
            };
        }
    }
}
