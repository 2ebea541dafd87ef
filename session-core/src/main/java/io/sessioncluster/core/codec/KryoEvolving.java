package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.ImmutableSerializer;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serializers for application classes that survive a redeploy which changed the class: fields, record
 * components and enum constants are written by name, so bytes written by the previous version still decode.
 * Each keeps per-graph state (names already written or read) in fields tagged with {@link SafeKryo#graph},
 * which is safe because a Kryo instance and its serializers serve one thread at a time.
 */
final class KryoEvolving {

    private KryoEvolving() {
    }

    /**
     * Fields matched by name, so a field added or removed by a redeploy still decodes: removed ones are read and
     * dropped, added ones keep the value the no-arg constructor gave them. The format is that of Kryo's
     * {@code CompatibleFieldSerializer} without chunking (field names once per graph, then each field's class and
     * value), but each field is read once and its serializer looked up once, which Kryo's does twice; and a null
     * is written back as null, where Kryo's leaves the constructor's default in place. Fields are those Kryo's
     * {@link FieldSerializer} finds: non-static, non-transient, superclasses included.
     */
    static final class CompatibleFields<T> extends FieldSerializer<T> {
        private final Field[] fields;
        private final String[] names;
        private long namesWrittenInGraph = -1;
        private long namesReadInGraph = -1;
        private Field[] slots; // this graph's stream order mapped to local fields; null where the field is gone

        /** The fields written, in order (read by {@link ClassShape}). */
        Field[] fields() {
            return fields;
        }

        CompatibleFields(Kryo kryo, Class<T> type) {
            super(kryo, type);
            CachedField[] cached = getFields();
            fields = new Field[cached.length];
            names = new String[cached.length];
            for (int i = 0; i < cached.length; i++) {
                fields[i] = cached[i].getField();
                fields[i].setAccessible(true);
                names[i] = cached[i].getName();
            }
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            long graph = SafeKryo.graph(kryo);
            if (namesWrittenInGraph != graph) {
                namesWrittenInGraph = graph;
                output.writeVarInt(names.length, true);
                for (String name : names) {
                    output.writeString(name);
                }
            }
            try {
                for (Field field : fields) {
                    Object value = field.get(object);
                    if (value == null) {
                        kryo.writeClass(output, null);
                    } else {
                        kryo.writeObject(output, value, kryo.writeClass(output, value.getClass()).getSerializer());
                    }
                }
            } catch (IllegalAccessException e) {
                throw new CodecException(CodecException.Reason.NOT_ENCODABLE, "cannot read the fields of [" + getType().getName() + "]", e);
            }
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            T object = create(kryo, input, type);
            kryo.reference(object);
            long graph = SafeKryo.graph(kryo);
            if (namesReadInGraph != graph) {
                namesReadInGraph = graph;
                slots = readSlots(input);
            }
            Field[] slots = this.slots;
            for (Field field : slots) {
                Registration registration = kryo.readClass(input);
                Object value = registration == null ? null
                        : kryo.readObject(input, registration.getType(), registration.getSerializer());
                if (field == null) {
                    continue; // a field this node's version of the class no longer has
                }
                try {
                    field.set(object, value);
                } catch (IllegalArgumentException | IllegalAccessException e) {
                    throw new CodecException(CodecException.Reason.CORRUPT, "field [" + field.getName() + "] of ["
                            + getType().getName() + "] cannot take the decoded value: its type changed since it was written", e);
                }
            }
            return object;
        }

        private Field[] readSlots(Input input) {
            int count = input.readVarInt(true);
            KryoBuffers.LimitedInput.claim(input, count);
            Field[] result = new Field[count];
            for (int i = 0; i < count; i++) {
                String name = input.readString();
                for (int j = 0; j < names.length; j++) {
                    if (names[j].equals(name)) {
                        result[i] = fields[j];
                    }
                }
            }
            return result;
        }
    }

    /**
     * Enum constants by name, not by ordinal: a constant added in the middle after a redeploy would otherwise
     * silently turn one value into another. Each name is written once per graph, later occurrences as an index.
     */
    static final class EnumByName extends ImmutableSerializer<Enum<?>> {
        private final Class<?> type;
        private final Map<String, Enum<?>> byName = new HashMap<>();
        // Per-graph tables, valid while their graph number is current: a Kryo instance is single-threaded.
        private final int[] writtenIds;
        private int nextId;
        private long writtenInGraph = -1;
        private final List<Enum<?>> read = new ArrayList<>();
        private long readInGraph = -1;

        EnumByName(Class<?> enumType) {
            this.type = enumType;
            for (Object constant : enumType.getEnumConstants()) {
                byName.put(((Enum<?>) constant).name(), (Enum<?>) constant);
            }
            writtenIds = new int[byName.size()];
        }

        @Override
        public void write(Kryo kryo, Output output, Enum<?> constant) {
            long graph = SafeKryo.graph(kryo);
            if (writtenInGraph != graph) {
                writtenInGraph = graph;
                Arrays.fill(writtenIds, 0);
                nextId = 0;
            }
            int id = writtenIds[constant.ordinal()];
            if (id != 0) {
                output.writeVarInt(id, true);
                return;
            }
            writtenIds[constant.ordinal()] = ++nextId;
            output.writeVarInt(0, true);
            output.writeString(constant.name());
        }

        @Override
        public Enum<?> read(Kryo kryo, Input input, Class<? extends Enum<?>> ignored) {
            long graph = SafeKryo.graph(kryo);
            if (readInGraph != graph) {
                readInGraph = graph;
                read.clear();
            }
            int id = input.readVarInt(true);
            if (id != 0) {
                if (id < 0 || id > read.size()) {
                    throw new CodecException(CodecException.Reason.CORRUPT, "unknown constant index of enum [" + type.getName() + "]");
                }
                return read.get(id - 1);
            }
            Enum<?> constant = byName.get(input.readString());
            if (constant == null) {
                throw new CodecException(CodecException.Reason.CORRUPT, "enum [" + type.getName()
                        + "] on this node lacks a constant the writer had (renamed or removed by a redeploy)");
            }
            read.add(constant);
            return constant;
        }
    }

    /**
     * Records by component name, through the canonical constructor, for the same reason as {@link CompatibleFields}:
     * Kryo's own record serializer writes components by position only. A component added by a redeploy gets its
     * default (null, 0, false); a removed one is read and dropped.
     */
    static final class CompatibleRecord extends Serializer<Object> {
        private final Class<?> type;
        private final String[] names;
        private final Class<?>[] types;
        private final Method[] accessors;
        private final Object[] defaults;
        private final Constructor<?> constructor;
        private long namesWrittenInGraph = -1;
        private long slotsReadInGraph = -1;
        private int[] slots;

        CompatibleRecord(Class<?> type) {
            this.type = type;
            RecordComponent[] components = type.getRecordComponents();
            int n = components.length;
            names = new String[n];
            types = new Class<?>[n];
            accessors = new Method[n];
            defaults = new Object[n];
            for (int i = 0; i < n; i++) {
                names[i] = components[i].getName();
                types[i] = components[i].getType();
                accessors[i] = components[i].getAccessor();
                accessors[i].setAccessible(true);
                defaults[i] = types[i].isPrimitive() ? Array.get(Array.newInstance(types[i], 1), 0) : null;
            }
            try {
                constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record [" + type.getName() + "] has no canonical constructor", e);
            }
        }

        @Override
        public void write(Kryo kryo, Output output, Object record) {
            long graph = SafeKryo.graph(kryo);
            if (namesWrittenInGraph != graph) { // names once per graph, before the first instance
                namesWrittenInGraph = graph;
                output.writeVarInt(names.length, true);
                for (String name : names) {
                    output.writeString(name);
                }
            }
            try {
                for (Method accessor : accessors) {
                    kryo.writeClassAndObject(output, accessor.invoke(record));
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                        "cannot read the components of record [" + type.getName() + "]", e);
            }
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> ignored) {
            long graph = SafeKryo.graph(kryo);
            if (slotsReadInGraph != graph) {
                slotsReadInGraph = graph;
                slots = readSlots(input);
            }
            Object[] args = defaults.clone();
            for (int slot : slots) {
                Object value = kryo.readClassAndObject(input);
                if (slot < 0) {
                    continue; // a component this node's version of the record no longer has
                }
                if (!fits(slot, value)) {
                    throw new CodecException(CodecException.Reason.CORRUPT, "component [" + names[slot] + "] of record ["
                            + type.getName() + "] changed its type since it was written");
                }
                args[slot] = value;
            }
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
                throw new CodecException(CodecException.Reason.CORRUPT, "record [" + type.getName()
                        + "] rejected the decoded components in its constructor", e);
            }
        }

        /** Maps each written component, in stream order, to this node's component index, or -1. */
        private int[] readSlots(Input input) {
            int count = input.readVarInt(true);
            KryoBuffers.LimitedInput.claim(input, count);
            int[] slots = new int[count];
            for (int i = 0; i < count; i++) {
                String name = input.readString();
                slots[i] = -1;
                for (int j = 0; j < names.length; j++) {
                    if (names[j].equals(name)) {
                        slots[i] = j;
                    }
                }
            }
            return slots;
        }

        private boolean fits(int slot, Object value) {
            if (!types[slot].isPrimitive()) {
                return value == null || types[slot].isInstance(value);
            }
            return value != null && value.getClass() == defaults[slot].getClass(); // the boxed default's class
        }
    }
}
