package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.sessioncluster.tomcat.LoginScenarios.formLogin;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's timeout rule for single sign-on, on the stores where a session's expiry fires on the node that holds its
 * copy (Redis, JDBC: the holder claims it before the background sweep would). On JGroups the session's owner decides,
 * and its copy may not be the one the entry's listener is on: see docs/sso.md, "Known limits".
 */
abstract class SingleSignOnExpiryScenarios extends SingleSignOnScenarios {

    @Test
    void aSessionThatTimesOutLeavesTheLoginToTheOthersAndTheLastOneEndsIt() {
        TestNode a = node("nodeA");
        TestNode b = node("nodeB");
        Browser browser = new Browser();
        formLogin(browser, a, "/app1", "alice");
        assertThat(page(b, browser, "/app2")).startsWith("user=alice");

        String app1Session = shortenAndAwaitExpiry(browser, a, "/app1");

        // Not a logout: the entry lives on with app2's session, and logs app1 in again without a login page.
        assertThat(page(a, browser, "/app1")).startsWith("user=alice manager=true auth=FORM");
        assertThat(SessionIds.baseId(browser.cookie(Browser.SESSION_COOKIE, "/app1")))
                .isNotEqualTo(SessionIds.baseId(app1Session));
        assertThat(page(b, browser, "/app2")).startsWith("user=alice");

        // The last session of the entry ends: so does the entry.
        String ssoCookie = browser.cookie(SSO_COOKIE, "/");
        shortenAndAwaitExpiry(browser, a, "/app1");
        shortenAndAwaitExpiry(browser, b, "/app2");
        Browser replay = new Browser();
        replay.cookie(SSO_COOKIE, "/", ssoCookie);
        assertThat(page(b, replay, "/app1")).isEqualTo("login-page");
    }

    /**
     * Gives the browser's session of {@code app} a 1 s timeout and waits until {@code node} expired it, listeners
     * included: Tomcat drops the copy from its manager before it tells the session's listeners (the single sign-on
     * valve's among them), and marks it invalid after them.
     */
    private static String shortenAndAwaitExpiry(Browser browser, TestNode node, String app) {
        assertThat(browser.get(node, app + "/secure/s?op=timeout&value=1").body()).isEqualTo("ok");
        String id = browser.cookie(Browser.SESSION_COOKIE, app);
        ClusteredSession copy = node.manager(app).copies().get(SessionIds.baseId(id));
        assertThat(copy).as("the copy of the " + app + " session on " + node).isNotNull();
        Await.until(Duration.ofSeconds(15), () -> node.manager(app).copies().get(SessionIds.baseId(id)) == null
                        && !copy.isValid(), expired -> expired, "the " + app + " session to expire on " + node);
        return id;
    }

}
