package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.SessionRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The message format: round trips, and every kind of malformed input rejected with a clear reason. */
class JGroupsWireTest {

    private static final int MAX = 1 << 20;

    @Test
    void recordAndChangeSetRoundTrip() {
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        attributes.put("名前 😀", new byte[] {0, 1, (byte) 255});
        attributes.put("", new byte[0]);
        SessionRecord record = new SessionRecord("abc-_DEF", 7, 1, 2, 1800, attributes);
        ChangeSet change = new ChangeSet("abc", false, 1, 2, -1, attributes, Set.of("gone"));

        Wire.In in = new Wire.In(new Wire.Out(Kind.REPL_DELTA).record(record).change(change).bytes(), MAX);

        assertThat(in.kind).isEqualTo(Kind.REPL_DELTA);
        assertThat(in.record()).isEqualTo(record);
        assertThat(in.change()).isEqualTo(change);
        in.end();
    }

    @Test
    void rejectsAnEmptyOrUnknownFormat() {
        assertMalformed(new byte[0], "shorter than its header");
        assertMalformed(new byte[] {Wire.FORMAT + 1, Kind.GET}, "unknown format " + (Wire.FORMAT + 1));
        assertMalformed(new byte[] {1, Kind.GET}, "unknown format 1 (expected " + Wire.FORMAT + ")"); // before locks
    }

    @Test
    void rejectsOversizedMessagesBeforeReadingThem() {
        byte[] big = new byte[2000];
        big[0] = Wire.FORMAT;
        assertThatThrownBy(() -> new Wire.In(big, 1024)).isInstanceOf(Wire.Malformed.class)
                .hasMessageContaining("2000 bytes, larger than 1024");
    }

    @Test
    void rejectsTruncatedFieldsAndImpossibleCounts() {
        byte[] record = new Wire.Out(Kind.REPL_FULL).bool(true).record(new SessionRecord("id", 1, 1, 1, 1,
                Map.of("a", "b".getBytes(StandardCharsets.UTF_8)))).bytes();
        Wire.In truncated = new Wire.In(Arrays.copyOf(record, record.length - 1), MAX);
        truncated.bool();
        assertThatThrownBy(truncated::record).isInstanceOf(Wire.Malformed.class).hasMessageContaining("truncated");

        Wire.In count = new Wire.In(new Wire.Out(Kind.REPL_TOUCH).i32(Integer.MAX_VALUE).bytes(), MAX);
        assertThatThrownBy(() -> count.count(9)).isInstanceOf(Wire.Malformed.class).hasMessageContaining("exceeds");
        Wire.In negative = new Wire.In(new Wire.Out(Kind.REPL_TOUCH).i32(-1).bytes(), MAX);
        assertThatThrownBy(() -> negative.count(9)).isInstanceOf(Wire.Malformed.class);
    }

    @Test
    void rejectsMalformedIdsNamesBooleansAndVersions() {
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 3, 'a', '.', 'b'}, MAX).id())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("malformed session id");
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 0}, MAX).id())
                .isInstanceOf(Wire.Malformed.class);
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 0, 0, 0, 2, (byte) 0xc3, 0x28}, MAX).name())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 0x7f, 0, 0, 0}, MAX).name())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("attribute name of");
        assertThatThrownBy(() -> new Wire.In(new byte[] {Wire.FORMAT, Kind.GET, 2}, MAX).bool())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("bad boolean");
        byte[] zeroVersion = new Wire.Out(Kind.REPL_FULL).id("x").i64(0).bytes();
        assertThatThrownBy(() -> new Wire.In(zeroVersion, MAX).record())
                .isInstanceOf(Wire.Malformed.class).hasMessageContaining("version 0");
    }

    @Test
    void rejectsRepeatedAttributesAndTrailingBytes() {
        byte[] repeated = new Wire.Out(Kind.REPL_FULL).id("x").i64(1).i64(1).i64(1).i32(1).i32(2)
                .name("a").value(new byte[0]).name("a").value(new byte[0]).bytes();
        assertThatThrownBy(() -> new Wire.In(repeated, MAX).record()).hasMessageContaining("repeated");
        Wire.In trailing = new Wire.In(new Wire.Out(Kind.DELETE).id("x").i8(0).bytes(), MAX);
        trailing.id();
        assertThatThrownBy(trailing::end).hasMessageContaining("1 trailing bytes");
    }

    private static void assertMalformed(byte[] message, String reason) {
        assertThatThrownBy(() -> new Wire.In(message, MAX)).isInstanceOf(Wire.Malformed.class).hasMessageContaining(reason);
    }
}
