package io.sessioncluster.store.redis;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Principal names as bytes: the {@code #p} field of a session hash and the tail of the name's index key.
 *
 * <p>A name is any Java string, lone surrogates included, and {@code String.getBytes(UTF_8)} turns every lone
 * surrogate into {@code ?}: two names would share one index. So a name is encoded as WTF-8: UTF-8 for a
 * well-formed string (what {@code redis-cli} shows as the name), with a lone surrogate encoded as its own
 * three-byte sequence. The encoding is one-to-one, and so is the index key's tail, lowercase hex of those bytes: no
 * name reaches another's key. Hex also keeps a name's {@code {}} out of the key (Cluster would hash on it), and
 * digits hold none of {@code : s x p}, one of which every other key of any store has after its prefix, so a name's
 * key is never another store's key either. A name is never used as a pattern.
 */
final class PrincipalNames {

    private static final HexFormat HEX = HexFormat.of();

    private PrincipalNames() {
    }

    static byte[] encode(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                cp = Character.toCodePoint(c, name.charAt(++i));
            }
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) { // lone surrogates too
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        }
        return out.toByteArray();
    }

    /** The name {@link #encode} made these bytes from, or null if it made none (a corrupt field). */
    static String decode(byte[] bytes) {
        StringBuilder name = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            int length = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
            if (length == 0 || i + length > bytes.length) {
                return null;
            }
            int cp = length == 1 ? b : b & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return null;
                }
                cp = cp << 6 | next & 0x3F;
            }
            int shortest = length == 1 ? 0 : length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
            if (cp < shortest || cp > Character.MAX_CODE_POINT) {
                return null; // overlong or out of range: never written by encode
            }
            name.appendCodePoint(cp);
            i += length;
        }
        String decoded = name.toString();
        // A surrogate pair written as two three-byte sequences decodes to a pair that encode would write as four
        // bytes: not our encoding.
        return Arrays.equals(encode(decoded), bytes) ? decoded : null;
    }

    /** The tail of a name's index key: lowercase hex of its {@link #encode}d bytes (as {@code #p} holds them). */
    static String keyPart(byte[] name) {
        return HEX.formatHex(name);
    }
}
