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
import java.io.Serializable;
import java.util.Objects;

/**
 * Java serialization, for attribute classes that only work through their own {@code writeObject} and
 * {@code readObject}. Every class in the stream is checked against the allow-list by an
 * {@link ObjectInputFilter} before it is resolved, and the stream's size, depth and array lengths are bounded.
 *
 * <p>The Kryo codec hands such classes to {@link #writeTo} and {@link #readFrom}, so both codecs apply one
 * filter.
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
        writeTo(bytes, value);
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
        CodecFormat.check(bytes, FORMAT, maxBytes);
        return readFrom(bytes, 1, bytes.length - 1);
    }

    @Override
    public void checkAllowed(Object value) {
        CodecFormat.checkAllowed(allowList, value);
    }

    /** Writes {@code value} as a Java serialization stream, refusing classes outside the allow-list. */
    void writeTo(OutputStream target, Object value) {
        try (CheckingOutputStream out = new CheckingOutputStream(target)) {
            out.writeObject(value);
            if (out.deferred != null) {
                throw CodecFormat.notAllowed(allowList, out.deferred);
            }
        } catch (CodecException e) {
            throw e;
        } catch (NotSerializableException e) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                    "class [" + e.getMessage() + "] does not implement java.io.Serializable", e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                    "cannot serialize a value of class [" + value.getClass().getName() + "]: " + e, e);
        }
    }

    /** Reads one object from {@code length} bytes of {@code buffer} written by {@link #writeTo}. */
    Object readFrom(byte[] buffer, int offset, int length) {
        try (ObjectInputStream in = new LoaderObjectInputStream(
                new ByteArrayInputStream(buffer, offset, length), loader, allowList)) {
            in.setObjectInputFilter(filter(length));
            return in.readObject();
        } catch (CodecException e) {
            throw e;
        } catch (InvalidClassException e) {
            // ObjectInputStream wraps whatever our filter threw; that verdict is the precise one.
            if (e.getCause() instanceof CodecException verdict) {
                throw verdict;
            }
            throw new CodecException(CodecException.Reason.CORRUPT,
                    "class [" + e.classname + "] is incompatible with the version that wrote it: " + e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new CodecException(CodecException.Reason.CLASS_NOT_FOUND,
                    "class [" + e.getMessage() + "] is allowed but missing on this node", e);
        } catch (LinkageError e) {
            throw new CodecException(CodecException.Reason.CLASS_NOT_FOUND,
                    "a class needed to decode is missing on this node: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new CodecException(CodecException.Reason.CORRUPT, "corrupt Java-serialized attribute: " + e, e);
        }
    }

    /**
     * Checks every class before it is resolved, and every array before it is allocated: a stream may declare
     * an array of two billion elements in a few bytes. Each element of a real array takes at least one byte of
     * the stream, and collections size their tables up to eight times their element count (HashSet with a tiny
     * load factor), so all arrays of one stream together may claim at most eight elements per stream byte.
     */
    private ObjectInputFilter filter(int streamLength) {
        long arrayBudget = 8L * streamLength + 1024;
        long[] arrayElements = {0};
        return info -> {
            Class<?> type = info.serialClass();
            if (type != null && !allowList.allows(type)) {
                throw CodecFormat.notAllowed(allowList, type.getName());
            }
            if (info.depth() > MAX_DEPTH) {
                throw new CodecException(CodecException.Reason.TOO_LARGE,
                        "attribute nests objects deeper than " + MAX_DEPTH + " levels");
            }
            if (info.streamBytes() > maxBytes) {
                throw new CodecException(CodecException.Reason.TOO_LARGE,
                        "encoded attribute exceeds maxAttributeBytes " + maxBytes);
            }
            if (info.arrayLength() > 0) {
                arrayElements[0] += info.arrayLength();
                if (arrayElements[0] > arrayBudget) {
                    throw new CodecException(CodecException.Reason.CORRUPT, "stream declares arrays of "
                            + arrayElements[0] + " elements in " + streamLength + " bytes");
                }
            }
            return ObjectInputFilter.Status.UNDECIDED;
        };
    }

    /**
     * Checks each class as it is written, so a disallowed class fails at the writer, not on another node.
     *
     * <p>Failures are thrown as {@link CodecException}, not {@link IOException}: on an IOException
     * ObjectOutputStream writes the exception itself into the stream before rethrowing it, and checking the
     * classes of that exception would replace the real error with "NotSerializableException is not allowed".
     * For the same reason a disallowed Throwable is only noted while writing and refused once the value is done.
     */
    private final class CheckingOutputStream extends ObjectOutputStream {
        String deferred;

        CheckingOutputStream(OutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        /** Sees every object before ObjectOutputStream would throw NotSerializableException for it. */
        @Override
        protected Object replaceObject(Object obj) {
            if (!(obj instanceof Serializable)) {
                throw new CodecException(CodecException.Reason.NOT_ENCODABLE,
                        "class [" + obj.getClass().getName() + "] does not implement java.io.Serializable");
            }
            return obj;
        }

        @Override
        protected void annotateClass(Class<?> type) {
            if (allowList.allows(type)) {
                return;
            }
            Class<?> element = type.isArray() ? type.componentType() : type;
            if (Throwable.class.isAssignableFrom(element) || element == StackTraceElement.class) {
                deferred = deferred == null ? type.getName() : deferred;
                return;
            }
            throw CodecFormat.notAllowed(allowList, type.getName());
        }

        @Override
        protected void annotateProxyClass(Class<?> type) {
            throw CodecFormat.notAllowed(allowList, type.getName());
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
                throw CodecFormat.notAllowed(allowList, name);
            }
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }

        /** Proxies are never allowed; refuse before their interfaces are loaded by name. */
        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) {
            throw new CodecException(CodecException.Reason.CLASS_NOT_ALLOWED, "a dynamic proxy of ["
                    + String.join(", ", interfaces) + "] is never decoded");
        }
    }
}
