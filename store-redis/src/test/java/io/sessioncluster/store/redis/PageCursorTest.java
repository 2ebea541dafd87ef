package io.sessioncluster.store.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cursor of {@code page}: what one store hands out, it and only it reads back. */
class PageCursorTest {

    private static final byte[] MEMBER = "ABCDEF0123456789-_".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aCursorReadsBackAsItsPosition() {
        for (String score : List.of("1765000000000", "inf", "1.5", "1.7e+12", "-3")) {
            String text = new PageCursor(score, MEMBER).format("sc:");
            PageCursor back = PageCursor.parse("sc:", text);
            assertThat(back.score()).isEqualTo(score);
            assertThat(back.member()).isEqualTo(MEMBER);
        }
    }

    @Test
    void anyMemberBytesFitInACursor() {
        byte[] odd = {0, '.', (byte) 0xFF, '*', '\n'};
        assertThat(PageCursor.parse("sc:", new PageCursor("1", odd).format("sc:")).member()).isEqualTo(odd);
    }

    @Test
    void aCursorOfAnotherPrefixIsRefused() {
        String text = new PageCursor("1765000000000", MEMBER).format("app1:");

        assertThatThrownBy(() -> PageCursor.parse("app2:", text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a cursor of this store");
    }

    @Test
    void stringsThisStoreNeverWroteAreRefused() {
        String good = new PageCursor("1765000000000", MEMBER).format("sc:");
        List<String> bad = List.of("not a cursor", "\u0000", "*", "-1:abc", "", "w1", "w1:::", good.toUpperCase(),
                good.replace("1765", "1766"), good + good, "w1:inf:QUJD:0000000000000000", "x".repeat(10_000));
        for (String text : bad) {
            assertThatThrownBy(() -> PageCursor.parse("sc:", text)).as("cursor [%s]", text)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a cursor of this store");
        }
    }

    @Test
    void aScoreRedisNeverWritesIsNoPosition() {
        assertThatThrownBy(() -> new PageCursor("(1", MEMBER)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PageCursor("1 2", MEMBER)).isInstanceOf(IllegalArgumentException.class);
    }
}
