package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.apache.catalina.Context;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static io.sessioncluster.tomcat.LoginApp.PASSWORD;
import static io.sessioncluster.tomcat.LoginApp.credentials;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Container-managed login on a cluster, the scenarios every store passes (a subclass per store): a FORM login
 * survives the loss of the node that served it, with its roles; a login begun on one node is finished on another,
 * which replays the request first asked for; a logout on one node ends the login on the others; the id the
 * session had before the login is dead everywhere; a BASIC login cached in the session is served by another node.
 */
abstract class LoginScenarios {

    /** A started node of this store with the login application; {@code settings} are name/value pairs. */
    abstract TestNode node(String name, Consumer<Context> app, String... settings);

    /** Takes the node away as abruptly as the store's fixtures allow. */
    abstract void kill(TestNode node) throws Exception;

    static final String PAGE_OF_ALICE = "user=alice manager=true auth=FORM";

    /** Logs alice in on {@code node} the way a browser does; returns the id the session had before the login. */
    static String formLogin(Browser browser, TestNode node) {
        return formLogin(browser, node, "", "alice");
    }

    /** Logs {@code user} in to the application at {@code contextPath} ("" for the root) of {@code node}. */
    static String formLogin(Browser browser, TestNode node, String contextPath, String user) {
        assertThat(browser.get(node, contextPath + "/secure/page").body()).isEqualTo("login-page");
        String before = browser.cookie(Browser.SESSION_COOKIE, contextPath.isEmpty() ? "/" : contextPath);
        Browser.Reply posted = browser.post(node, contextPath + "/j_security_check", credentials(user, PASSWORD));
        assertThat(posted.status()).isIn(302, 303);
        assertThat(posted.location()).hasValueSatisfying(l -> assertThat(l).endsWith(contextPath + "/secure/page"));
        return before;
    }

    @Test
    void aFormLoginSurvivesTheLossOfTheNodeThatServedIt() throws Exception {
        TestNode a = node("nodeA", LoginApp.form(true));
        TestNode b = node("nodeB", LoginApp.form(true));
        Browser browser = new Browser();

        String beforeLogin = formLogin(browser, a);
        String afterLogin = browser.cookie();
        assertThat(SessionIds.baseId(afterLogin)).as("changeSessionIdOnAuthentication")
                .isNotEqualTo(SessionIds.baseId(beforeLogin));
        assertThat(browser.get(a, "/secure/page").body()).startsWith(PAGE_OF_ALICE);

        kill(a);

        assertThat(browser.get(b, "/secure/page").body()).startsWith(PAGE_OF_ALICE);
        assertThat(browser.cookie()).isEqualTo(SessionIds.baseId(afterLogin) + ".nodeB");
        Browser withOldId = new Browser();
        withOldId.cookie(beforeLogin);
        assertThat(withOldId.get(b, "/secure/page").body()).as("the id before the login").isEqualTo("login-page");
        assertThat(SessionIds.baseId(withOldId.cookie())).isNotEqualTo(SessionIds.baseId(beforeLogin));
    }

    @Test
    void rolesTravelWithThePrincipal() {
        TestNode a = node("nodeA", LoginApp.form(true));
        TestNode b = node("nodeB", LoginApp.form(true));
        Browser browser = new Browser();
        browser.get(a, "/secure/page");
        browser.post(a, "/j_security_check", credentials("bob", PASSWORD));

        assertThat(browser.get(b, "/secure/page").body()).startsWith("user=bob manager=false auth=FORM");
    }

    @Test
    void aLoginBegunOnOneNodeIsFinishedOnAnotherWhichReplaysTheRequestFirstAskedFor() {
        TestNode a = node("nodeA", LoginApp.form(true));
        TestNode b = node("nodeB", LoginApp.form(true));
        Browser browser = new Browser();

        // A form posted while logged out: the login page, and the POST saved on node A.
        Browser.Reply first = browser.post(a, "/secure/page?from=cart", Map.of("item", "42"));
        assertThat(first.body()).isEqualTo("login-page");

        Browser.Reply posted = browser.post(b, "/j_security_check", credentials("alice", PASSWORD));
        assertThat(posted.status()).as("not 408: node B knows the saved request").isIn(302, 303);
        assertThat(posted.location()).hasValueSatisfying(l -> assertThat(l).endsWith("/secure/page?from=cart"));

        // Following the redirect replays the saved POST, body included, on whichever node gets it.
        Browser.Reply replayed = browser.get(a, "/secure/page?from=cart");
        assertThat(replayed.body()).isEqualTo(PAGE_OF_ALICE + " query=from=cart method=POST item=42");
        // The saved request is used up, everywhere: the next request is a plain GET.
        assertThat(browser.get(b, "/secure/page?from=cart").body())
                .isEqualTo(PAGE_OF_ALICE + " query=from=cart method=GET");
    }

    /**
     * {@code FormAuthenticator}'s forward to the login page sends the page before the request returns to the valve:
     * unless the session is stored first, a form posted at once to another node races its write (an HTTP 408 in
     * about half of the attempts on PostgreSQL before {@link ClusteredSessionManager#writeBeforeLoginForward}).
     */
    @Test
    void theLoginPageLeavesOnlyOnceTheSessionIsStored() {
        TestNode a = node("nodeA", LoginApp.form(true));
        TestNode b = node("nodeB", LoginApp.form(true));
        int timedOut = 0;
        for (int attempt = 0; attempt < 25; attempt++) {
            Browser browser = new Browser();
            assertThat(browser.get(a, "/secure/page").body()).isEqualTo("login-page");
            if (browser.post(b, "/j_security_check", credentials("alice", PASSWORD)).status() == 408) {
                timedOut++;
            }
        }
        assertThat(timedOut).as("logins posted to the other node right after the login page").isZero();
    }

    @Test
    void aLogoutOnOneNodeEndsTheLoginOnTheOthers() {
        TestNode a = node("nodeA", LoginApp.form(true));
        TestNode b = node("nodeB", LoginApp.form(true));
        Browser browser = new Browser();
        formLogin(browser, a);
        assertThat(browser.get(b, "/secure/page").body()).startsWith(PAGE_OF_ALICE);

        assertThat(browser.get(b, "/secure/logout").body()).isEqualTo("bye");

        assertThat(browser.get(a, "/secure/page").body()).isEqualTo("login-page");
        assertThat(browser.get(b, "/secure/page").body()).isEqualTo("login-page");
    }

    @Test
    void aBasicLoginCachedInTheSessionIsServedByAnotherNode() throws Exception {
        TestNode a = node("nodeA", LoginApp.basic());
        TestNode b = node("nodeB", LoginApp.basic());
        Browser browser = new Browser();
        assertThat(browser.get(a, "/open").body()).isEqualTo("open user=null new=true");
        String basic = "Basic " + Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(browser.get(a, "/secure/page", "Authorization", basic).body())
                .startsWith("user=alice manager=true auth=BASIC");
        assertThat(browser.get(b, "/secure/page").status()).as("B without credentials, before A is gone")
                .isEqualTo(200);

        kill(a);

        // No Authorization header: only the principal cached in the replicated session can let this through.
        Browser.Reply onB = browser.get(b, "/secure/page");
        assertThat(onB.status()).isEqualTo(200);
        assertThat(onB.body()).startsWith("user=alice manager=true auth=BASIC");
    }

    @Test
    void withCacheOffTheLoginNeedsItsNodeBecauseThePasswordNeverLeavesIt() throws Exception {
        TestNode a = node("nodeA", LoginApp.form(false));
        TestNode b = node("nodeB", LoginApp.form(false));
        Browser browser = new Browser();
        formLogin(browser, a);
        assertThat(browser.get(a, "/secure/page").body()).startsWith(PAGE_OF_ALICE);

        kill(a);

        assertThat(browser.get(b, "/secure/page").body()).isEqualTo("login-page");
    }
    /**
     * "Log out everywhere": alice logged in on three nodes (three browsers) and bob on one; her sessions are found from
     * any node through the store's index, and ended from one node on all three, bob's untouched.
     */
    @Test
    void aUsersLoginsOnThreeNodesAreListedAndEndedEverywhere() {
        TestNode a = node("nodeA", LoginApp.form(true));
        TestNode b = node("nodeB", LoginApp.form(true));
        TestNode c = node("nodeC", LoginApp.form(true));
        List<TestNode> nodes = List.of(a, b, c);
        List<Browser> alice = new ArrayList<>();
        for (TestNode node : nodes) {
            Browser browser = new Browser();
            formLogin(browser, node);
            assertThat(browser.get(node, "/secure/page").body()).startsWith(PAGE_OF_ALICE);
            alice.add(browser);
        }
        Browser bob = new Browser();
        bob.get(a, "/secure/page");
        bob.post(a, "/j_security_check", credentials("bob", PASSWORD));
        assertThat(bob.get(a, "/secure/page").body()).startsWith("user=bob");
        Set<String> aliceIds = new HashSet<>();
        alice.forEach(browser -> aliceIds.add(SessionIds.baseId(browser.cookie())));

        for (TestNode node : nodes) {
            assertThat(node.manager().findSessionIdsOf("alice")).as("from %s", node.name()).isEqualTo(aliceIds);
        }
        assertThat(c.manager().findSessionIdsOf("bob")).containsExactly(SessionIds.baseId(bob.cookie()));

        assertThat(b.manager().expireSessionsOf("alice")).isEqualTo(3);

        // Each node drops its copy when the store's eviction notice arrives (JDBC: its next poll of the evictions
        // table): a sticky node serves its copy until then, the documented window of every clustered copy.
        for (int i = 0; i < nodes.size(); i++) {
            Browser browser = alice.get(i);
            TestNode node = nodes.get(i);
            Await.until(Duration.ofSeconds(10), () -> browser.get(node, "/secure/page").body(), "login-page"::equals,
                    "alice sent to the login page on " + node.name());
        }
        assertThat(a.manager().findSessionIdsOf("alice")).isEmpty();
        assertThat(bob.get(c, "/secure/page").body()).as("bob stays logged in").startsWith("user=bob");
    }

    @Test
    void aLogoutTakesTheSessionOutOfItsUsersSessions() {
        TestNode a = node("nodeA", LoginApp.form(true));
        TestNode b = node("nodeB", LoginApp.form(true));
        Browser browser = new Browser();
        formLogin(browser, a);
        assertThat(b.manager().findSessionIdsOf("alice")).containsExactly(SessionIds.baseId(browser.cookie()));

        assertThat(browser.get(b, "/secure/logout").body()).isEqualTo("bye");

        assertThat(a.manager().findSessionIdsOf("alice")).isEmpty();
        assertThat(a.manager().expireSessionsOf("alice")).isZero();
        assertThat(a.manager().findSessionIdsOf("")).isEmpty();
        assertThat(a.manager().findSessionIdsOf(null)).isEmpty();
    }
}
