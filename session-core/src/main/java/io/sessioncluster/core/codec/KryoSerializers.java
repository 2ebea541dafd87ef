package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.io.Externalizable;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Modifier;

/** Small serializers {@link SafeKryo} uses instead of, or around, Kryo's own; see also {@link KryoEvolving}. */
final class KryoSerializers {

    private KryoSerializers() {
    }

    /** True for classes of the JDK itself, whose private fields Java 17 does not let Kryo read. */
    static boolean isJdk(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    /**
     * True if an application class, or an application superclass, customises Java serialization: field-by-field
     * copying would bypass its invariants (a {@code readObject} that validates or rebuilds transient state).
     */
    static boolean usesJavaHooks(Class<?> type) {
        if (!Serializable.class.isAssignableFrom(type)) {
            return false;
        }
        if (Externalizable.class.isAssignableFrom(type)) {
            return true;
        }
        for (Class<?> c = type; c != null && !isJdk(c); c = c.getSuperclass()) {
            if (hasPrivate(c, "writeObject", ObjectOutputStream.class) || hasPrivate(c, "readObject", ObjectInputStream.class)
                    || hasPrivate(c, "readObjectNoData") || declares(c, "writeReplace") || declares(c, "readResolve")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPrivate(Class<?> type, String name, Class<?>... parameters) {
        try {
            return Modifier.isPrivate(type.getDeclaredMethod(name, parameters).getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean declares(Class<?> type, String name) {
        try {
            return type.getDeclaredMethod(name).getReturnType() == Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Stands in for a class that must not be encoded or decoded: fails on the first instance, not at lookup. */
    static final class Rejecting extends Serializer<Object> {
        private final CodecException.Reason reason;
        private final String message;

        Rejecting(CodecException.Reason reason, String message) {
            this.reason = reason;
            this.message = message;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            throw new CodecException(reason, message);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            throw new CodecException(reason, message);
        }
    }

    /** Kryo's array serializers, with the length prefix that every one of them starts with claimed first. */
    static final class LengthGuard extends Serializer<Object> {
        private final Serializer<Object> delegate;

        @SuppressWarnings("unchecked")
        LengthGuard(Serializer<?> delegate) {
            super(delegate.getAcceptsNull(), delegate.isImmutable());
            this.delegate = (Serializer<Object>) delegate;
        }

        Serializer<Object> delegate() {
            return delegate;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            delegate.write(kryo, output, object);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            int start = input.position();
            int length = input.readVarInt(true); // 0 is null, n is n - 1 elements
            input.setPosition(start);
            if (length != 0) {
                KryoBuffers.LimitedInput.claim(input, length - 1L);
            }
            return delegate.read(kryo, input, type);
        }
    }

    /**
     * Java serialization inside a Kryo graph, for classes with their own serialization hooks and for JDK classes
     * Kryo cannot take apart. It runs through {@link JavaAttributeCodec}, so the allow-list filter, the depth and
     * the size limits are the same as with the Java codec. Written as a length-prefixed block.
     */
    static final class JavaSerialization extends Serializer<Object> {
        private final JavaAttributeCodec java;
        private final int maxBytes;

        JavaSerialization(JavaAttributeCodec java, int maxBytes) {
            this.java = java;
            this.maxBytes = maxBytes;
        }

        @Override
        public void write(Kryo kryo, Output output, Object value) {
            CodecFormat.BoundedOutput bytes = new CodecFormat.BoundedOutput(maxBytes);
            java.writeTo(bytes, value);
            output.writeVarInt(bytes.size(), true);
            output.writeBytes(bytes.toByteArray());
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            int length = input.readVarInt(true);
            KryoBuffers.LimitedInput.requireRemaining(input, length);
            int start = input.position();
            Object value = java.readFrom(input.getBuffer(), start, length);
            input.setPosition(start + length);
            return value;
        }
    }
}
