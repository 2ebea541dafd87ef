package io.sessioncluster.core.codec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Java serialization, for attribute classes that only work through their own {@code writeObject} and
 * {@code readObject}. Every class in the stream is checked against the allow-list by an
 * {@link ObjectInputFilter} before it is resolved, and the stream's size and depth are bounded.
 */
final class JavaAttributeCodec implements AttributeCodec {

    static final byte FORMAT = 'J';
    private static final int MAX_DEPTH = 64;

    private final ClassAllowList allowList;
    private final int maxBytes;
    private final ClassLoader loader;

    JavaAttributeCodec(ClassAllowList allowList, int maxBytes, ClassLoader loader) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        this.maxBytes = maxBytes;
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public byte[] encode(Object value) {
        CodecFormat.BoundedOutput bytes = new CodecFormat.BoundedOutput(maxBytes);
        bytes.write(FORMAT);
        try (ObjectOutputStream out = new CheckingOutputStream(bytes)) {
            out.writeObject(value);
        } catch (CodecException e) {
            throw e;
        } catch (NotSerializableException e) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                    "class [" + e.getMessage() + "] does not implement java.io.Serializable", e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                    "cannot serialize a value of class [" + value.getClass().getName() + "]: " + e, e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
        CodecFormat.check(bytes, FORMAT, maxBytes);
        ObjectInputFilter filter = info -> {
            Class<?> type = info.serialClass();
            if (type != null && !allowList.allows(type)) {
                return ObjectInputFilter.Status.REJECTED;
            }
            if (info.depth() > MAX_DEPTH || info.streamBytes() > maxBytes) {
                return ObjectInputFilter.Status.REJECTED;
            }
            return ObjectInputFilter.Status.UNDECIDED;
        };
        try (ObjectInputStream in = new LoaderObjectInputStream(
                new ByteArrayInputStream(bytes, 1, bytes.length - 1), loader, allowList)) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (CodecException e) {
            throw e;
        } catch (InvalidClassException e) {
            throw new CodecException(CodecException.Reason.CLASS_NOT_ALLOWED,
                    "class [" + e.classname + "] is not allowed (add it to allowedClasses) or is incompatible: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new CodecException(CodecException.Reason.CLASS_NOT_FOUND,
                    "class [" + e.getMessage() + "] is allowed but missing on this node", e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException(CodecException.Reason.CORRUPT, "corrupt Java-serialized attribute: " + e, e);
        }
    }

    @Override
    public void checkAllowed(Object value) {
        CodecFormat.checkAllowed(allowList, value);
    }

    /** Checks each class as it is written, so a disallowed class fails at the writer, not on another node. */
    private final class CheckingOutputStream extends ObjectOutputStream {
        CheckingOutputStream(OutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void annotateClass(Class<?> type) {
            if (!allowList.allows(type)) {
                throw new CodecException(CodecException.Reason.CLASS_NOT_ALLOWED,
                        "class [" + type.getName() + "] is not in allowedClasses");
            }
        }
    }

    /** Resolves classes through the web application's loader, refusing names outside the allow-list unloaded. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;
        private final ClassAllowList allowList;

        LoaderObjectInputStream(InputStream in, ClassLoader loader, ClassAllowList allowList) throws IOException {
            super(in);
            this.loader = loader;
            this.allowList = allowList;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = desc.getName();
            if (!allowList.allows(name)) {
                throw new CodecException(CodecException.Reason.CLASS_NOT_ALLOWED,
                        "class [" + name + "] is not in allowedClasses");
            }
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
