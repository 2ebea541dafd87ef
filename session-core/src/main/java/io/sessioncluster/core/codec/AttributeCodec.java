package io.sessioncluster.core.codec;

/**
 * Turns one attribute value into bytes and back. One codec serves one web application: it resolves
 * classes through that application's class loader and refuses classes outside its {@link ClassAllowList}.
 * Implementations are thread-safe.
 *
 * <p>Encoded bytes start with a format byte naming the codec, so bytes written by another codec are
 * reported as {@link CodecException.Reason#WRONG_FORMAT} rather than misread.
 */
public interface AttributeCodec {

    /**
     * Encodes {@code value}.
     *
     * @throws CodecException {@code CLASS_NOT_ALLOWED} if the value or anything it references is outside the
     *                        allow-list, {@code TOO_LARGE} above the size limit, {@code NOT_ENCODABLE} otherwise
     */
    byte[] encode(Object value);

    /**
     * Decodes bytes written by {@link #encode}. Never loads a class outside the allow-list.
     *
     * @throws CodecException {@code CLASS_NOT_ALLOWED}, {@code CLASS_NOT_FOUND} (the class is allowed but
     *                        missing on this node), {@code TOO_LARGE}, {@code WRONG_FORMAT} or {@code CORRUPT}
     */
    Object decode(byte[] bytes);

    /**
     * A 64-bit fingerprint of the state {@link #encode} would write, for the in-place mutation check: equal
     * fingerprints mean the value did not change. By default {@link Fingerprint#of} the encoded bytes; the Kryo
     * codec walks the graph instead ({@code GraphFingerprint}). Only comparable with fingerprints of the same
     * codec on the same node. A decoded value's fingerprint is taken from the value, not from the bytes it was
     * decoded from: re-encoding a decoded hash map may order it differently.
     *
     * @throws CodecException as {@link #encode}
     */
    default long fingerprint(Object value) {
        return Fingerprint.of(encode(value));
    }

    /**
     * Encodes {@code value} unless its {@link #fingerprint} equals {@code known}: the end of a request encodes only
     * what changed, and each change once.
     *
     * @param known the fingerprint recorded when the value was last written or loaded, or null
     * @return null if unchanged; otherwise the bytes and their fingerprint (null if it could not be computed)
     * @throws CodecException as {@link #encode}
     */
    default Encoded encodeIfChanged(Object value, Long known) {
        byte[] bytes = encode(value);
        long fingerprint = Fingerprint.of(bytes);
        return known != null && known == fingerprint ? null : new Encoded(bytes, fingerprint);
    }

    /** An encoded value with its {@link #fingerprint}, null when that could not be computed. */
    record Encoded(byte[] bytes, Long fingerprint) {
    }

    /**
     * A cheap early check, at {@code setAttribute} time, that the value's own class is allowed; the classes
     * it references are checked when it is encoded.
     *
     * @throws CodecException {@code CLASS_NOT_ALLOWED}
     */
    void checkAllowed(Object value);
}
