package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static io.sessioncluster.tomcat.LoginScenarios.formLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on across nodes, the scenarios every store passes (a subclass per store): two nodes, each with the
 * applications {@code /app1} and {@code /app2} (FORM login, their own session managers) under one
 * {@link ClusteredSingleSignOn} on the host. A login to one application on one node logs the user in to the other
 * application on the other node; a logout in either ends the login in both, on both nodes; a cookie the store does
 * not know, or one that is not well formed, logs nobody in.
 */
abstract class SingleSignOnScenarios {

    static final String SSO_COOKIE = "JSESSIONIDSSO";

    /** A started node with {@code /app1} and {@code /app2} and the single sign-on valve, all on this test's store. */
    abstract TestNode node(String name);

    static String page(TestNode node, Browser browser, String app) {
        return browser.get(node, app + "/secure/page").body();
    }

    @Test
    void aLoginToOneApplicationOnOneNodeLogsTheUserInToTheOthersOnEveryNode() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        Browser browser = new Browser();

        formLogin(browser, a, "/app1", "alice");
        assertThat(browser.cookie(SSO_COOKIE, "/")).as("the single sign-on cookie").isNotNull();

        // No login page: node B never saw the login, it finds the entry in the store.
        assertThat(page(b, browser, "/app2")).startsWith("user=alice manager=true auth=FORM");
        assertThat(page(a, browser, "/app2")).startsWith("user=alice manager=true auth=FORM");
        assertThat(page(b, browser, "/app1")).startsWith("user=alice manager=true auth=FORM");

        Browser bob = new Browser();
        formLogin(bob, b, "/app2", "bob");
        assertThat(page(a, bob, "/app1")).as("roles travel").startsWith("user=bob manager=false auth=FORM");
        assertThat(page(a, browser, "/app1")).as("one user's entry is not the other's")
                .startsWith("user=alice manager=true");
    }

    @Test
    void aLogoutInOneApplicationOnOneNodeEndsEverySessionOfTheLoginOnEveryNode() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        Browser browser = new Browser();
        formLogin(browser, a, "/app1", "alice");
        String app1Session = browser.cookie(Browser.SESSION_COOKIE, "/app1");
        assertThat(page(b, browser, "/app2")).startsWith("user=alice");
        String ssoCookie = browser.cookie(SSO_COOKIE, "/");

        assertThat(browser.get(b, "/app2/secure/logout").body()).isEqualTo("bye");

        // app1's session on A ended too: gone from the store, and A's local copy evicted (announced by the store).
        Await.until(Duration.ofSeconds(10), () -> a.manager("/app1").copies().get(SessionIds.baseId(app1Session)),
                copy -> copy == null, "node A to drop its copy of the app1 session");
        assertThat(page(a, browser, "/app1")).isEqualTo("login-page");
        assertThat(page(a, browser, "/app2")).isEqualTo("login-page");
        assertThat(page(b, browser, "/app1")).isEqualTo("login-page");

        // The old cookies, replayed together, log nobody in on either node.
        for (TestNode node : new TestNode[] {a, b}) {
            Browser replay = new Browser();
            replay.cookie(SSO_COOKIE, "/", ssoCookie);
            replay.cookie(Browser.SESSION_COOKIE, "/app1", app1Session);
            assertThat(page(node, replay, "/app1")).as("on " + node).isEqualTo("login-page");
        }
    }

    @Test
    void aLogoutEndsTheSessionsOfTheLoginOnANodeThatOnlyJoinedItLater() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        Browser browser = new Browser();
        formLogin(browser, b, "/app2", "alice");
        assertThat(page(a, browser, "/app1")).startsWith("user=alice");
        String app2Session = browser.cookie(Browser.SESSION_COOKIE, "/app2");

        assertThat(browser.get(a, "/app1/secure/logout").body()).isEqualTo("bye");

        Await.until(Duration.ofSeconds(10), () -> b.manager("/app2").copies().get(SessionIds.baseId(app2Session)),
                copy -> copy == null, "node B to drop its copy of the app2 session");
        assertThat(page(b, browser, "/app2")).isEqualTo("login-page");
    }

    /** An application: {@link LoginApp#form} plus {@link TestServlet} behind the login at {@code /secure/s}. */
    static Consumer<Context> app() {
        return LoginApp.form(true).andThen(context -> {
            Tomcat.addServlet(context, "test", new TestServlet());
            context.addServletMappingDecoded("/secure/s", "test");
        });
    }

    @Test
    void aSingleSignOnCookieTheStoreDoesNotKnowOrThatIsMalformedLogsNobodyIn() {
        TestNode a = node("nodeA");
        Browser someone = new Browser();
        formLogin(someone, a, "/app1", "alice"); // an entry exists: the others must not reach it

        for (String value : new String[] {"0123456789ABCDEF0123456789ABCDEF", "a.b.c", "x".repeat(300), "..",
                someone.cookie(SSO_COOKIE, "/") + "0", "'%00'", "*"}) {
            Browser browser = new Browser();
            browser.cookie(SSO_COOKIE, "/", value);
            Browser.Reply reply = browser.get(a, "/app2/secure/page");
            assertThat(reply.status()).as(value).isEqualTo(200);
            assertThat(reply.body()).as(value).isEqualTo("login-page");
            assertThat(browser.cookie(SSO_COOKIE, "/")).as("told to drop " + value).isNull();
        }
        assertThat(page(a, someone, "/app2")).startsWith("user=alice");
    }

    /** Manager settings of one application of a node: {@code app} names its own store namespace. */
    abstract Map<String, String> appSettings(String app);
}
