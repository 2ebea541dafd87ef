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
    /** The principal name the session is indexed under ({@link PrincipalNames#encode}); absent when none. */
    static final byte[] PRINCIPAL = ascii("#p");
    /**
     * Until when the session's entry in its name's set was extended: this node's clock, epoch ms, or {@code inf}
     * ({@link PrincipalIndex}); absent when none. Not part of the record.
     */
    static final byte[] PRINCIPAL_EXTENDED = ascii("#pe");
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

    /** The sorted set of the sessions indexed under a principal name, given as {@link PrincipalNames#encode} bytes. */
    byte[] principalKey(byte[] name) {
        return utf8(keyPrefix + "p:" + PrincipalNames.keyPart(name));
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
        byte[] principal = null;
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
            } else if (Arrays.equals(name, PRINCIPAL)) {
                principal = field.getValue();
            }
        }
        long v = number(id, "#v", version);
        if (v < 1) {
            throw corrupt(id, "version #v is " + v);
        }
        int m = maxInactive(id, maxInactive);
        return new SessionRecord(id, v, number(id, "#c", created), number(id, "#a", accessed), m, attributes,
                principal(id, principal));
    }

    /** The name of a {@code #p} field; null for none (a hash written before the index existed has none). */
    static String principal(String id, byte[] value) {
        if (value == null) {
            return null;
        }
        String name = PrincipalNames.decode(value);
        if (name == null) {
            throw corrupt(id, "field #p is not a principal name");
        }
        return name;
    }

    /** {@code #m} as the int it was written from. */
    static int maxInactive(String id, byte[] value) {
        long m = number(id, "#m", value);
        if (m < Integer.MIN_VALUE || m > Integer.MAX_VALUE) {
            throw corrupt(id, "#m is out of range");
        }
        return (int) m;
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
