package io.sessioncluster.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"A", "0123456789ABCDEF0123456789ABCDEF", "abc-DEF_123", "0123456789ABCDEF.node1",
            "a.b", "x.route-1_b"})
    void acceptsWellFormedIds(String id) {
        assertThat(SessionIds.isWellFormed(id)).isTrue();
        assertThat(SessionIds.requireWellFormed(id)).isSameAs(id);
    }

    @Test
    void acceptsIdsUpToTheMaximumLength() {
        assertThat(SessionIds.isWellFormed("a".repeat(SessionIds.MAX_LENGTH))).isTrue();
        assertThat(SessionIds.isWellFormed("a".repeat(SessionIds.MAX_LENGTH - 6) + ".node1")).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"abc def", "abc/def", "abc;def", "abc%20", "ünï", "abc\n", "abc\u0000", "a..b", "a.b.c",
            ".abc", "abc.", ".", "a+b", "<script>"})
    void refusesMalformedIds(String id) {
        assertThat(SessionIds.isWellFormed(id)).isFalse();
        assertThatThrownBy(() -> SessionIds.requireWellFormed(id)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesIdsLongerThanTheMaximum() {
        String tooLong = "a".repeat(SessionIds.MAX_LENGTH + 1);

        assertThat(SessionIds.isWellFormed(tooLong)).isFalse();
        assertThatThrownBy(() -> SessionIds.requireWellFormed(tooLong))
                .hasMessage("malformed session id aaaa…(129 chars), longer than 128");
    }

    @Test
    void describesMalformedIdsWithoutQuotingThem() {
        assertThatThrownBy(() -> SessionIds.requireWellFormed(null)).hasMessage("malformed session id (null)");
        assertThatThrownBy(() -> SessionIds.requireWellFormed("")).hasMessage("malformed session id (empty)");
        assertThatThrownBy(() -> SessionIds.requireWellFormed("SECRET<script>alert(1)"))
                .hasMessage("malformed session id SECR…(22 chars), allowed are [A-Za-z0-9_-] with one optional .route suffix");
    }

    @Test
    void splitsOffTheRoute() {
        assertThat(SessionIds.baseId("ABC123.node1")).isEqualTo("ABC123");
        assertThat(SessionIds.route("ABC123.node1")).isEqualTo("node1");
        assertThat(SessionIds.baseId("ABC123")).isEqualTo("ABC123");
        assertThat(SessionIds.route("ABC123")).isNull();
    }

    @Test
    void appendsARouteOnlyWhenThereIsOne() {
        assertThat(SessionIds.withRoute("ABC123", "node2")).isEqualTo("ABC123.node2");
        assertThat(SessionIds.withRoute("ABC123", null)).isEqualTo("ABC123");
        assertThat(SessionIds.withRoute("ABC123", "")).isEqualTo("ABC123");
        assertThat(SessionIds.baseId(SessionIds.withRoute("ABC123", "n"))).isEqualTo("ABC123");
    }

    @Test
    void redactsToFourCharactersAndTheLength() {
        assertThat(SessionIds.redact("0123456789ABCDEF0123456789ABCDEF")).isEqualTo("0123…(32 chars)");
        assertThat(SessionIds.redact("ab")).isEqualTo("ab…(2 chars)");
        assertThat(SessionIds.redact("")).isEqualTo("…(0 chars)");
        assertThat(SessionIds.redact(null)).isEqualTo("null");
        assertThat(SessionIds.redact("a\nb<x")).isEqualTo("a?b?…(5 chars)");
    }

    @Test
    void redactNeverShowsMoreThanFourCharactersOfAnyId() {
        Random random = new Random(11);
        for (int i = 0; i < 1_000; i++) {
            char[] chars = new char[random.nextInt(200)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) (32 + random.nextInt(200));
            }
            String id = new String(chars);

            String redacted = SessionIds.redact(id);

            String shown = redacted.substring(0, redacted.indexOf('…'));
            assertThat(shown.length()).isLessThanOrEqualTo(4);
            assertThat(redacted).endsWith("(" + id.length() + " chars)");
            if (id.length() > 4) {
                assertThat(redacted).doesNotContain(id.substring(0, 5));
            }
        }
    }
}
