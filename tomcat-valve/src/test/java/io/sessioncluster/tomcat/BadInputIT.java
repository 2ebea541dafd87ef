package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input never takes a request down: each case has a defined outcome, and never a 500. Over Redis. */
class BadInputIT {

    private static final String COUPON = "itx.Coupon";

    @RegisterExtension
    final Cluster cluster = new Cluster();
    private final RedisFixture redis = cluster.redis();

    @Test
    void malformedAndOversizedSessionIdsGetAFreshSession() {
        TestNode a = cluster.node("nodeA");
        String oversized = "A".repeat(SessionIds.MAX_LENGTH + 1);
        for (String bad : List.of(oversized, "abc.def.ghi", "AB..CD", "../../etc/passwd", "x".repeat(4000))) {
            Browser browser = new Browser();
            browser.cookie(bad);
            Browser.Reply read = browser.call(a, "get", "name", "user");
            assertThat(read.status()).as(bad).isEqualTo(200);
            assertThat(read.body()).isEqualTo("no-session");

            browser.cookie(bad);
            Browser.Reply write = browser.call(a, "set", "name", "user", "value", "alice");
            assertThat(write.status()).isEqualTo(200);
            assertThat(write.setCookie()).isNotNull().isNotEqualTo(bad).endsWith(".nodeA");
            assertThat(SessionIds.isWellFormed(write.setCookie())).isTrue();
            assertThat(browser.call(a, "get", "name", "user").body()).isEqualTo("alice");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void garbageBytesInOneAttributeDropThatAttributeOnlyAndStayInTheStore(String codec) {
        TestNode a = cluster.node("nodeA", "codec", codec);
        TestNode b = cluster.node("nodeB", "codec", codec);
        Browser browser = new Browser();
        browser.call(a, "set", "name", "good", "value", "kept");
        browser.call(a, "set", "name", "bad", "value", "soon garbage");
        String id = browser.cookie();
        String key = redis.sessionKey(SessionIds.baseId(id));
        byte[] garbage = "\u0000\u0001not an encoded value at all".getBytes(StandardCharsets.ISO_8859_1);
        redis.hset(key, "a:bad", garbage);

        assertThat(browser.call(b, "names").body()).isEqualTo("[good]");
        assertThat(browser.call(b, "get", "name", "good").body()).isEqualTo("kept");
        // A later write from B does not delete what B could not read.
        assertThat(browser.call(b, "set", "name", "more", "value", "1").status()).isEqualTo(200);
        assertThat(redis.hget(key, "a:bad")).isEqualTo(garbage);
        assertThat(browser.call(b, "names").body()).isEqualTo("[good, more]");
    }

    @Test
    void recordWithCorruptMetadataIsTreatedAsMissing() {
        TestNode a = cluster.node("nodeA");
        TestNode b = cluster.node("nodeB");
        Browser browser = new Browser();
        browser.call(a, "set", "name", "user", "value", "alice");
        String id = browser.cookie();
        corruptVersion(id);

        assertTreatedAsMissing(browser, b, id);
    }

    @Test
    void corruptVersionSeenByTheNonStickyVersionCheckIsTreatedAsMissing() {
        TestNode a = cluster.node("nodeA", "sticky", "false");
        Browser browser = new Browser();
        browser.call(a, "set", "name", "user", "value", "alice");
        String id = browser.cookie();
        // A holds a local copy: the next request reads only the stored version, which cannot be parsed.
        corruptVersion(id);

        assertTreatedAsMissing(browser, a, id);
    }

    @Test
    void corruptRecordSeenByTheExpiryCheckIsTreatedAsMissing() {
        TestNode a = cluster.node("nodeA");
        Browser browser = new Browser();
        browser.call(a, "timeout", "value", "1");
        String id = browser.cookie();
        redis.hset(redis.sessionKey(SessionIds.baseId(id)), "#m", "garbage".getBytes(StandardCharsets.US_ASCII));
        Await.sleep(java.time.Duration.ofMillis(1_500)); // idle past its timeout: the store must confirm before use

        Browser.Reply again = browser.call(a, "get", "name", "user");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("no-session");
    }

    @Test
    void attributeOfAClassOutsideTheAllowListIsRejectedAtSetAttribute() {
        TestNode a = cluster.node("nodeA");
        Browser browser = new Browser();
        browser.call(a, "set", "name", "user", "value", "alice");
        Browser.Reply reply = browser.call(a, "setUnlisted", "name", "evil", "value", "x");
        // The application catches the IllegalArgumentException; our test application answers 400 with its message.
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("rejected", "[evil]", TestServlet.Unlisted.class.getName(), "allowedClasses");
        assertThat(browser.call(a, "names").body()).isEqualTo("[user]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void classPresentOnOneNodeOnlyIsDroppedOnTheOtherAndKeptInTheStore(String codec, @TempDir Path dir) throws Exception {
        String source = "package itx;\n"
                + "public class Coupon implements java.io.Serializable {\n"
                + "    private static final long serialVersionUID = 1L;\n"
                + "    private final String code;\n"
                + "    public Coupon(String code) { this.code = code; }\n"
                + "    @Override public String toString() { return \"Coupon[\" + code + \"]\"; }\n"
                + "}\n";
        try (URLClassLoader withCoupon = ClassCompiler.compile(dir, COUPON, source, getClass().getClassLoader())) {
            TestNode a = cluster.start(cluster.builder("nodeA", "allowedClasses", COUPON, "codec", codec)
                    .parentLoader(withCoupon));
            TestNode b = cluster.node("nodeB", "allowedClasses", COUPON, "codec", codec);
            Browser browser = new Browser();
            browser.call(a, "set", "name", "user", "value", "alice");
            assertThat(browser.call(a, "setClass", "name", "coupon", "class", COUPON, "value", "SAVE10").status())
                    .isEqualTo(200);
            assertThat(browser.call(a, "get", "name", "coupon").body()).isEqualTo("Coupon[SAVE10]");
            String idOnA = browser.cookie();

            // B lacks the class: the attribute is dropped there, the session and its other attributes are kept.
            Browser.Reply onB = browser.call(b, "names");
            assertThat(onB.status()).isEqualTo(200);
            assertThat(onB.body()).isEqualTo("[user]");
            assertThat(browser.call(b, "set", "name", "seenOnB", "value", "yes").status()).isEqualTo(200);

            // Back to A (the cookie now names B: A reloads): the coupon survived B's write.
            assertThat(browser.cookie()).isEqualTo(SessionIds.baseId(idOnA) + ".nodeB");
            assertThat(browser.call(a, "names").body()).isEqualTo("[coupon, seenOnB, user]");
            assertThat(browser.call(a, "get", "name", "coupon").body()).isEqualTo("Coupon[SAVE10]");
        }
    }

    @Test
    void attributeLargerThanTheLimitIsNotReplicatedAndTheRequestSucceeds() {
        TestNode a = cluster.node("nodeA", "maxAttributeBytes", "1024");
        TestNode b = cluster.node("nodeB", "maxAttributeBytes", "1024");
        Browser browser = new Browser();
        browser.call(a, "set", "name", "user", "value", "alice");
        Browser.Reply big = browser.call(a, "setBytes", "name", "blob", "value", "100000");
        assertThat(big.status()).isEqualTo(200);
        assertThat(browser.call(a, "bytes", "name", "blob").body()).isEqualTo("100000");
        assertThat(browser.call(b, "names").body()).isEqualTo("[user]");
    }

    /** Overwrites the stored version of the session {@code id} with something that is not a number. */
    private void corruptVersion(String id) {
        redis.hset(redis.sessionKey(SessionIds.baseId(id)), "#v", "not a number".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code node} answers as if session {@code id} did not exist, and a write there starts a new session. */
    private static void assertTreatedAsMissing(Browser browser, TestNode node, String id) {
        Browser.Reply read = browser.call(node, "get", "name", "user");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("no-session");
        Browser.Reply fresh = browser.call(node, "set", "name", "user", "value", "bob");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(SessionIds.baseId(fresh.setCookie())).isNotEqualTo(SessionIds.baseId(id));
    }
}
