package io.sessioncluster.store.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * The cursor of {@link JdbcSessionStore#page}: the last id of the page before, as {@code j1.<base64url of its UTF-8
 * bytes>.<CRC-32 in hex>}. Any node can go on from it (the position is in the cursor, not in a node). The
 * checksum only tells a cursor this store made from something else, e.g. one cut short or of another store: it
 * hides nothing, and needs not, since a page lists its ids anyway.
 */
final class PageCursor {

    private static final String PREFIX = "j1.";
    /** Ids are at most 255 characters, 765 UTF-8 bytes: 1,020 in base64, plus the rest. */
    private static final int MAX_LENGTH = 1_100;

    private PageCursor() {
    }

    static String after(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "." + checksum(bytes);
    }

    /** The id a cursor of {@link #after} holds; anything else is an {@link IllegalArgumentException}. */
    static String id(String cursor) {
        if (cursor.length() > MAX_LENGTH || !cursor.startsWith(PREFIX)) {
            throw notACursor();
        }
        int dot = cursor.lastIndexOf('.');
        byte[] bytes;
        String id;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor.substring(PREFIX.length(), dot));
            id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | IndexOutOfBoundsException | CharacterCodingException e) {
            throw notACursor();
        }
        // re-encoding also refuses padding and base64 spellings this class never writes
        if (!after(id).equals(cursor)) {
            throw notACursor();
        }
        return id;
    }

    private static String checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }

    /** Never echoes the cursor: it holds a session id. */
    private static IllegalArgumentException notACursor() {
        return new IllegalArgumentException("not a cursor of this store: pass back a page's next unchanged,"
                + " or null for the first page");
    }
}
