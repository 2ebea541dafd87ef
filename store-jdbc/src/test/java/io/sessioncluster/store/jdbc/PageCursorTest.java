package io.sessioncluster.store.jdbc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The page cursor: every id round-trips, and nothing but a cursor made by {@link PageCursor#after} is taken. */
class PageCursorTest {

    @Test
    void everyIdRoundTrips() {
        for (String id : List.of("", "A", "0123456789ABCDEF0123456789ABCDEF.node1", "x' OR '1'='1", "ü-é-名前", "a.b.c",
                "\u0000", "😀", "L".repeat(255), "€".repeat(255))) {
            String cursor = PageCursor.after(id);
            assertThat(cursor).startsWith("j1.").doesNotContain(id.isEmpty() ? "\u0001" : id);
            assertThat(PageCursor.id(cursor)).isEqualTo(id);
        }
    }

    @Test
    void anythingElseIsRefusedWithoutBeingShown() {
        String cursor = PageCursor.after("0123456789ABCDEF");
        String payload = cursor.substring(3, cursor.lastIndexOf('.'));
        for (String bad : List.of("not a cursor", "\u0000", "*", "-1:abc", "", "j1", "j1.", "j1..", "j1...",
                cursor.substring(0, cursor.length() - 1), cursor + "0", cursor.toUpperCase(), "J1" + cursor.substring(2),
                "j1." + payload + "=" + cursor.substring(cursor.lastIndexOf('.')), "j1.!!!!." + "00000000",
                "j1._w." + "00000000", cursor + "\n", "j1." + "A".repeat(2_000) + ".00000000")) {
            assertThatThrownBy(() -> PageCursor.id(bad)).as("[%s]", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a cursor of this store: pass back a page's next unchanged, or null for the first page");
        }
    }

    @Test
    void anIdThatIsNotValidUtf8IsNoCursor() {
        // "_w" is base64url for 0xFF, which no UTF-8 string encodes to; even with the right checksum it is refused
        CRC32 crc = new CRC32();
        crc.update(new byte[] {(byte) 0xFF});
        String forged = "j1._w." + String.format("%08x", crc.getValue());
        assertThatThrownBy(() -> PageCursor.id(forged)).isInstanceOf(IllegalArgumentException.class);
    }
}
