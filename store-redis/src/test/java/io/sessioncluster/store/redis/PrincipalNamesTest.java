package io.sessioncluster.store.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The principal name encoding: UTF-8 where a name is well formed, one-to-one for every string. */
class PrincipalNamesTest {

    @Test
    void aWellFormedNameIsItsUtf8() {
        for (String name : List.of("alice", "ümlaut ✓", "😀 emoji", "{a}", "a*", "'; drop table x; --", "\u0000")) {
            assertThat(PrincipalNames.encode(name)).isEqualTo(name.getBytes(StandardCharsets.UTF_8));
            assertThat(PrincipalNames.decode(PrincipalNames.encode(name))).isEqualTo(name);
        }
    }

    @Test
    void loneSurrogatesKeepNamesApart() {
        List<String> names = List.of("a\uD800", "a\uDC00", "a?", "a\uFFFD", "\uDC00\uD800", "\uD83D\uDE00", "\uD83D");
        Map<String, String> nameByHex = new HashMap<>();
        for (String name : names) {
            byte[] encoded = PrincipalNames.encode(name);
            assertThat(PrincipalNames.decode(encoded)).isEqualTo(name);
            assertThat(nameByHex.put(PrincipalNames.keyPart(encoded), name)).as("key of [%s]", name).isNull();
        }
    }

    @Test
    void everyRandomStringRoundTrips() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            char[] chars = new char[1 + random.nextInt(8)];
            for (int k = 0; k < chars.length; k++) {
                // Surrogates, ASCII and the rest, often enough each.
                chars[k] = (char) switch (random.nextInt(3)) {
                    case 0 -> 0xD800 + random.nextInt(0x800);
                    case 1 -> random.nextInt(0x80);
                    default -> random.nextInt(0x10000);
                };
            }
            String name = new String(chars);
            assertThat(PrincipalNames.decode(PrincipalNames.encode(name))).isEqualTo(name);
        }
    }

    @Test
    void bytesTheEncoderNeverWritesAreNoName() {
        HexFormat hex = HexFormat.of();
        for (String bytes : List.of("ff", "c0af", "e080af", "c3", "eda0bdedb880" /* a pair as two sequences */,
                "f4908080" /* above U+10FFFF */, "80")) {
            assertThat(PrincipalNames.decode(hex.parseHex(bytes))).as(bytes).isNull();
        }
    }

    @Test
    void theKeyPartIsLowercaseHex() {
        assertThat(PrincipalNames.keyPart(PrincipalNames.encode("Ab:{*}"))).isEqualTo("41623a7b2a7d");
    }
}
