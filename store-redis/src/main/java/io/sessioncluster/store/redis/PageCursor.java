package io.sessioncluster.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cursor {@code page} hands out: where the walk over the expiry index stopped, as the score and member of the last
 * session seen, {@code w1:<score>:<member, base64url>:<check>}. The check, 8 bytes of SHA-256 over the key prefix and
 * the rest, makes any other string, a cursor of another store (prefix) included, an {@link IllegalArgumentException}
 * rather than a walk that starts somewhere odd. Not a secret: a forged cursor can only start a walk elsewhere.
 *
 * @param score  the score as Redis wrote it ({@code inf}, or a decimal number)
 * @param member the member's bytes
 */
record PageCursor(String score, byte[] member) {

    private static final int MAX_LENGTH = 512;
    private static final Pattern FORMAT = Pattern.compile("w1:([^:]{1,40}):([A-Za-z0-9_-]{0,400}):([0-9a-f]{16})");
    /** What Redis writes for a score: {@code inf}, or a decimal number, perhaps with an exponent. */
    private static final Pattern SCORE = Pattern.compile("[+-]?inf|-?[0-9]{1,20}(\\.[0-9]{1,20})?(e[+-]?[0-9]{1,3})?");

    PageCursor {
        if (!SCORE.matcher(score).matches()) {
            throw new IllegalArgumentException("not a score of the expiry index");
        }
    }

    String format(String keyPrefix) {
        String body = score + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(member);
        return "w1:" + body + ':' + check(keyPrefix, body);
    }

    /** The cursor this store wrote as {@code text}; anything else is refused. */
    static PageCursor parse(String keyPrefix, String text) {
        Matcher m = text.length() > MAX_LENGTH ? null : FORMAT.matcher(text);
        if (m == null || !m.matches() || !check(keyPrefix, m.group(1) + ':' + m.group(2)).equals(m.group(3))) {
            throw new IllegalArgumentException("not a cursor of this store (keyPrefix [" + keyPrefix
                    + "]): pass null for the first page, then each page's next");
        }
        return new PageCursor(m.group(1), Base64.getUrlDecoder().decode(m.group(2)));
    }

    private static String check(String keyPrefix, String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((keyPrefix + '\n' + body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
