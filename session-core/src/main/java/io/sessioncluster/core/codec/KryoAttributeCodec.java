package io.sessioncluster.core.codec;

import com.esotericsoftware.kryo.KryoException;

import java.util.Objects;

/**
 * Kryo 5, the default codec: several times faster and smaller than Java serialization. Kryo instances are
 * not thread-safe and costly to build (each learns serializers per class), so they are pooled together with
 * their buffers. What each instance does with a class is decided by {@link SafeKryo}: allow-list, class
 * evolution, and classes that need Java serialization.
 *
 * <p>Bytes: the format byte {@code 'K'}, then one Kryo graph written with references, classes by
 * name. Decoding never allocates more than a small multiple of the input ({@link KryoBuffers.LimitedInput}),
 * never nests deeper than {@link SafeKryo#MAX_DEPTH}, and reports every failure as a {@link CodecException}.
 */
final class KryoAttributeCodec implements AttributeCodec {

    static final byte FORMAT = 'K';

    /** Enough for a typical attribute without growing; larger buffers are not kept in the pool. */
    private static final int INITIAL_BUFFER = 8 * 1024;
    private static final int MAX_POOLED_BUFFER = 64 * 1024;
    /** Kryo instances kept for request threads encoding at once (Tomcat's default is 200 request threads). */
    private static final int POOL_SIZE = 1024;
    private static final int MAX_FAILURES = 64;

    private final ClassAllowList allowList;
    private final int maxBytes;
    private final StripedPool<Context> pool;
    /** What the fingerprint walk reads of each class, shared by the pooled instances. */
    private final ClassValue<ClassShape> shapes = new ClassValue<>() {
        @Override
        protected ClassShape computeValue(Class<?> type) {
            Context context = pool.obtain(); // another instance than the walking one: a pool never blocks
            try {
                return ClassShape.of(type, context.kryo);
            } finally {
                pool.free(context);
            }
        }
    };

    KryoAttributeCodec(ClassAllowList allowList, int maxBytes, ClassLoader loader) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        this.maxBytes = maxBytes;
        Objects.requireNonNull(loader, "loader");
        JavaAttributeCodec java = new JavaAttributeCodec(allowList, maxBytes, loader);
        this.pool = new StripedPool<>(POOL_SIZE, () -> new Context(new SafeKryo(allowList, loader, java, maxBytes),
                maxBytes, shapes));
    }

    @Override
    public byte[] encode(Object value) {
        CodecFormat.checkAllowed(allowList, value);
        Context context = pool.obtain();
        boolean failed = true;
        try {
            KryoBuffers.LimitedOutput output = context.output;
            output.reset();
            output.writeByte(FORMAT);
            context.kryo.writeClassAndObject(output, value);
            byte[] bytes = output.toBytes();
            failed = false;
            return bytes;
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            throw failure(e, CodecException.Reason.NOT_ENCODABLE,
                    "cannot encode a value of class [" + value.getClass().getName() + "]"); // not null: null never fails
        } finally {
            release(context, failed);
        }
    }

    /** Walks the graph ({@link GraphFingerprint}): no encoding, no buffer. */
    @Override
    public long fingerprint(Object value) {
        CodecFormat.checkAllowed(allowList, value);
        Context context = pool.obtain();
        try {
            return context.fingerprint.of(value);
        } catch (StackOverflowError e) {
            throw new CodecException(CodecException.Reason.NOT_ENCODABLE, "object graph too deep to fingerprint", null);
        } finally {
            pool.free(context);
        }
    }

    /** Walks first, and encodes only a value whose walk differs from {@code known}: a change is encoded once. */
    @Override
    public Encoded encodeIfChanged(Object value, Long known) {
        Long fingerprint;
        try {
            fingerprint = fingerprint(value);
        } catch (RuntimeException e) {
            fingerprint = null; // the encoding below reports what cannot be encoded
        }
        if (fingerprint != null && fingerprint.equals(known)) {
            return null;
        }
        return new Encoded(encode(value), fingerprint);
    }

    /** Hashes the bytes where Kryo wrote them, for values the walk does not take apart. Context held by the caller. */
    private static long encodedHash(Context context, Object value) {
        KryoBuffers.LimitedOutput output = context.output;
        output.reset();
        context.kryo.writeClassAndObject(output, value);
        return Fingerprint.of(output.getBuffer(), 0, output.position());
    }

    @Override
    public Object decode(byte[] bytes) {
        CodecFormat.check(bytes, FORMAT, maxBytes);
        Context context = pool.obtain();
        boolean failed = true;
        try {
            KryoBuffers.LimitedInput input = context.input;
            input.start(bytes);
            Object value = context.kryo.readClassAndObject(input);
            if (input.position() != input.limit()) {
                throw new CodecException(CodecException.Reason.CORRUPT,
                        (input.limit() - input.position()) + " bytes follow the encoded value");
            }
            failed = false;
            return value;
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            throw failure(e, CodecException.Reason.CORRUPT, "corrupt kryo-encoded attribute");
        } finally {
            context.input.release();
            release(context, failed);
        }
    }

    @Override
    public void checkAllowed(Object value) {
        CodecFormat.checkAllowed(allowList, value);
    }

    /**
     * Kryo resets itself when an exception unwinds its outermost call (class ids, references, graph context),
     * so a failed instance can be reused, which matters when one bad attribute fails on every request: a new
     * instance costs milliseconds of serializer setup. Kryo does leave the reference ids of the objects it was
     * reading on an internal stack, harmless but never cleared, so an instance is dropped after
     * {@value #MAX_FAILURES} failures. Output buffers that grew for one large value are not kept either.
     */
    private void release(Context context, boolean failed) {
        if (failed && ++context.failures > MAX_FAILURES) {
            return;
        }
        if (context.output.getBuffer().length > MAX_POOLED_BUFFER) {
            context.output = new KryoBuffers.LimitedOutput(INITIAL_BUFFER, maxBytes);
        }
        pool.free(context);
    }

    /**
     * Our own exceptions travel through Kryo wrapped (with a serialization trace); the innermost one states
     * the reason. Anything else becomes {@code fallback}. The message keeps Kryo's own text, which names
     * classes and fields, and only the class of a foreign exception, whose message could quote a value.
     */
    private static CodecException failure(Throwable e, CodecException.Reason fallback, String context) {
        Throwable root = e;
        CodecException ours = e instanceof CodecException c ? c : null;
        for (int hops = 0; root.getCause() != null && root.getCause() != root && hops < 32; hops++) {
            root = root.getCause();
            if (root instanceof CodecException c) {
                ours = c;
            }
        }
        String where = trace(e);
        if (ours != null) {
            return where.isEmpty() || ours == e ? ours
                    : new CodecException(ours.reason(), ours.getMessage() + " (at " + where + ")", e);
        }
        if (root instanceof LinkageError) {
            return new CodecException(CodecException.Reason.CLASS_NOT_FOUND,
                    "a class needed by this attribute is missing on this node: " + root.getMessage(), e);
        }
        String cause = root instanceof KryoException ? firstLine(root.getMessage()) : root.getClass().getName();
        return new CodecException(fallback, context + ": " + cause + (where.isEmpty() ? "" : " (at " + where + ")"), e);
    }

    /** Kryo's "Serialization trace" lines (field and class names), innermost first, on one line. */
    private static String trace(Throwable e) {
        if (!(e instanceof KryoException) || e.getMessage() == null) {
            return "";
        }
        String message = e.getMessage();
        int at = message.indexOf("Serialization trace:");
        return at < 0 ? "" : message.substring(at + "Serialization trace:".length()).strip().replace("\n", " < ");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** One pooled Kryo with the buffers it reads and writes through, and its fingerprint walk. */
    private static final class Context {
        final SafeKryo kryo;
        final KryoBuffers.LimitedInput input = new KryoBuffers.LimitedInput();
        final GraphFingerprint fingerprint;
        KryoBuffers.LimitedOutput output;
        int failures;

        Context(SafeKryo kryo, int maxBytes, ClassValue<ClassShape> shapes) {
            this.kryo = kryo;
            this.output = new KryoBuffers.LimitedOutput(INITIAL_BUFFER, maxBytes);
            this.fingerprint = new GraphFingerprint(kryo, shapes, value -> encodedHash(this, value));
        }
    }
}
