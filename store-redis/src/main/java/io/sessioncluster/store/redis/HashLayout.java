package io.sessioncluster.store.redis;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Redis data layout of the store: key names, hash field names, and the conversion between a hash and a
 * {@link SessionRecord}. See {@link RedisSessionStore} for the layout as a whole.
 *
 * <p>Metadata fields start with {@code #} and attribute fields with {@code a:}, so no attribute name, whatever
 * it is, can collide with metadata. Numbers are stored as decimal ASCII, which Lua's {@code tonumber} and
 * {@code HINCRBY} read.
 */
final class HashLayout {

    static final byte[] VERSION = ascii("#v");
    static final byte[] CREATED = ascii("#c");
    static final byte[] ACCESSED = ascii("#a");
    static final byte[] MAX_INACTIVE = ascii("#m");
    private static final byte[] ATTRIBUTE_PREFIX = ascii("a:");

    private final String keyPrefix;
    private final byte[] indexKey;

    HashLayout(String keyPrefix) {
        this.keyPrefix = keyPrefix;
        this.indexKey = utf8(keyPrefix + "expirations");
    }

    /** The hash of one session. Ids are well formed ({@code [A-Za-z0-9_-]}), so they need no escaping in a key. */
    byte[] sessionKey(String id) {
        return utf8(keyPrefix + "s:" + id);
    }

    /** The sorted set of session ids scored by a lower bound of their expiry time. */
    byte[] indexKey() {
        return indexKey;
    }

    static byte[] attributeField(String name) {
        byte[] bytes = utf8(name);
        byte[] field = Arrays.copyOf(ATTRIBUTE_PREFIX, ATTRIBUTE_PREFIX.length + bytes.length);
        System.arraycopy(bytes, 0, field, ATTRIBUTE_PREFIX.length, bytes.length);
        return field;
    }

    /**
     * Builds a record from the fields of its hash, in any order. Fields that are neither metadata nor attributes
     * are ignored, so that a later version may add some.
     *
     * @throws StoreException naming the redacted id if a metadata field is missing or not a number
     */
    static SessionRecord toRecord(String id, Iterable<Map.Entry<byte[], byte[]>> fields) {
        byte[] version = null;
        byte[] created = null;
        byte[] accessed = null;
        byte[] maxInactive = null;
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        for (Map.Entry<byte[], byte[]> field : fields) {
            byte[] name = field.getKey();
            if (startsWith(name, ATTRIBUTE_PREFIX)) {
                attributes.put(new String(name, ATTRIBUTE_PREFIX.length, name.length - ATTRIBUTE_PREFIX.length,
                        StandardCharsets.UTF_8), field.getValue());
            } else if (Arrays.equals(name, VERSION)) {
                version = field.getValue();
            } else if (Arrays.equals(name, CREATED)) {
                created = field.getValue();
            } else if (Arrays.equals(name, ACCESSED)) {
                accessed = field.getValue();
            } else if (Arrays.equals(name, MAX_INACTIVE)) {
                maxInactive = field.getValue();
            }
        }
        long v = number(id, "#v", version);
        if (v < 1) {
            throw corrupt(id, "version #v is " + v);
        }
        long m = number(id, "#m", maxInactive);
        if (m < Integer.MIN_VALUE || m > Integer.MAX_VALUE) {
            throw corrupt(id, "#m is out of range");
        }
        return new SessionRecord(id, v, number(id, "#c", created), number(id, "#a", accessed), (int) m, attributes);
    }

    /** Parses a decimal metadata field. */
    static long number(String id, String field, byte[] value) {
        if (value == null) {
            throw corrupt(id, "field " + field + " is missing");
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw corrupt(id, "field " + field + " is not a number");
        }
    }

    static StoreException corrupt(String id, String detail) {
        return new StoreException("corrupt session record " + SessionIds.redact(id) + ": " + detail);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] ascii(long number) {
        return ascii(Long.toString(number));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
