package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.PriorityQueue;

import javax.management.BadAttributeValueExpException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classes an unchanged application keeps in its session work with no allow-list setting when the application
 * defines them itself ({@code WEB-INF/classes}); library classes and gadget-style JDK classes stay refused, with a
 * message that names the setting and the value that would admit them.
 */
class ApplicationClassesIT {

    @TempDir
    static Path compiled;
    private static WebAppClasses war;

    @RegisterExtension
    final Cluster cluster = new Cluster();

    @BeforeAll
    static void compile() {
        war = new WebAppClasses(compiled);
    }

    private TestNode node(String name, String... settings) {
        return cluster.start(cluster.builder(name, settings).configure(war.install()));
    }

    @Test
    void aClassOfTheApplicationItselfNeedsNoSetting() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        Browser browser = new Browser();

        assertThat(browser.call(a, "setClass", "name", "cart", "value", "apple", "class", WebAppClasses.CART).body())
                .isEqualTo("ok");

        Browser.Reply onB = browser.call(b, "get", "name", "cart");
        assertThat(onB.body()).isEqualTo("Cart[apple]");
    }

    @Test
    void aLibraryClassIsRefusedWithTheValueThatWouldAdmitIt() {
        TestNode a = node("nodeA", "allowedClasses", "com.example.other.**");
        Browser browser = new Browser();

        try (LogCapture log = new LogCapture("io.sessioncluster.core.codec.CodecFormat")) {
            Browser.Reply refused = browser.call(a, "setClass", "name", "widget", "value", "w",
                    "class", WebAppClasses.WIDGET);
            browser.call(a, "setClass", "name", "widget", "value", "w2", "class", WebAppClasses.WIDGET);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("Attribute [widget]", "class [" + WebAppClasses.WIDGET + "]",
                    "allowedClasses=\"com.example.other.**," + WebAppClasses.WIDGET + "\"");
            assertThat(log.texts()).as("one WARN for the first refusal of the class").hasSize(1);
            assertThat(log.texts().get(0)).contains("allowedClasses=\"com.example.other.**," + WebAppClasses.WIDGET);
        }
        assertThat(node("nodeB", "allowedClasses", WebAppClasses.WIDGET).isAvailable()).isTrue();
    }

    @Test
    void listingALibraryClassAdmitsIt() {
        TestNode a = node("nodeA", "allowedClasses", WebAppClasses.WIDGET);
        TestNode b = node("nodeB", "allowedClasses", WebAppClasses.WIDGET);
        Browser browser = new Browser();
        assertThat(browser.call(a, "setClass", "name", "widget", "value", "w", "class", WebAppClasses.WIDGET).body())
                .isEqualTo("ok");
        assertThat(browser.call(b, "get", "name", "widget").body()).isEqualTo("Widget[w]");
    }

    @Test
    void gadgetStyleClassesAreRefusedWhenStoredAndWhenReadFromTheStore() throws IOException {
        TestNode a = node("nodeA", "codec", "java");
        Browser browser = new Browser();
        for (String gadget : new String[] {BadAttributeValueExpException.class.getName(), PriorityQueue.class.getName()}) {
            Browser.Reply refused = browser.call(a, "setClass", "name", "g", "value", "x", "class", gadget);
            assertThat(refused.body()).as(gadget).satisfiesAnyOf(
                    body -> assertThat(body).contains("rejected", "class [" + gadget + "]"),
                    body -> assertThat(body).startsWith("no class")); // no (String) constructor: refused before too
        }
        // Bytes in the store that name a gadget class: left out on load, never instantiated, the session kept.
        assertThat(browser.call(a, "set", "name", "kept", "value", "yes").status()).isEqualTo(200);
        String base = SessionIds.baseId(browser.cookie());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write('J');
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new BadAttributeValueExpException("boom"));
        }
        cluster.redis().hset(cluster.redis().sessionKey(base), "a:evil", bytes.toByteArray());
        TestNode b = node("nodeB", "codec", "java");
        try (LogCapture log = new LogCapture(SessionLoader.class.getName())) {
            assertThat(browser.call(b, "get", "name", "evil").body()).isEqualTo("null");
            assertThat(browser.call(b, "get", "name", "kept").body()).isEqualTo("yes");
            assertThat(String.join("\n", log.texts())).contains("evil", "BadAttributeValueExpException");
        }
    }

    @Test
    void theStrictSettingRefusesTheApplicationsOwnClassesToo() {
        TestNode a = node("nodeA", "allowApplicationClasses", "false");
        Browser browser = new Browser();

        Browser.Reply refused = browser.call(a, "setClass", "name", "cart", "value", "apple",
                "class", WebAppClasses.CART);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("allowedClasses=\"" + WebAppClasses.CART + "\"");
    }

    @Test
    void aBadValueOfTheStrictSettingStopsTheStart() {
        try (LogCapture log = new LogCapture("org.apache.catalina.core.StandardContext")) {
            TestNode a = node("nodeA", "allowApplicationClasses", "yes");
            assertThat(a.isAvailable()).isFalse();
            assertThat(String.join("\n", log.texts())).contains("allowApplicationClasses [yes]: allowed are true, false");
        }
    }
}
