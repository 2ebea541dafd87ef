package io.sessioncluster.e2e;

import io.sessioncluster.e2e.Browser.Page;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Container-managed FORM login ({@link LoginWar}, Tomcat's {@code UserDatabaseRealm}) on a running cluster, as a
 * user meets it through HAProxy: the protected page asked for on one node, the login form posted to another, which
 * sends the browser back to that page; the old session id dead after the login; the node that served the logged-in
 * user killed by SIGKILL, and the next request still logged in with the same roles; a logout on one node is a logout
 * on every node.
 */
final class FormLoginScenario {

    private static final String PAGE = "/" + Cluster.LOGIN_APP + "/secure/page.jsp";
    private static final String LOGIN = "/" + Cluster.LOGIN_APP + "/j_security_check";
    private static final String LOGOUT = "/" + Cluster.LOGIN_APP + "/secure/logout.jsp";

    private FormLoginScenario() {
    }

    static void run(Cluster cluster) {
        int balancer = cluster.balancer.port;
        Browser user = cluster.browser();

        Page asked = user.get(balancer, PAGE);
        assertThat(asked.status()).as("%s", asked).isEqualTo(200);
        assertThat(asked.body()).as("the protected page asks for the login first").startsWith("login-page");
        String beforeLogin = user.cookie();
        TomcatNode other = cluster.nodes.stream().filter(node -> !node.route.equals(asked.node())).findFirst()
                .orElseThrow();

        // Posted straight to another node: the saved request (the page asked for) travelled with the session.
        Page posted = user.postForm(other.httpPort, LOGIN, "j_username=alice&j_password=alice-secret");
        assertThat(posted.status()).as("login begun on %s, posted to %s: %s\n%s", asked.node(), other.route, posted,
                cluster.logs()).isIn(302, 303);
        assertThat(posted.location()).as("back to the page first asked for").endsWith(PAGE);
        assertThat(base(user.cookie())).as("changeSessionIdOnAuthentication: a new id after the login")
                .isNotEqualTo(base(beforeLogin));

        Page loggedIn = expectLoggedIn(user, balancer, "after the login", cluster);

        Browser replay = cluster.browser();
        replay.cookie(beforeLogin);
        assertThat(replay.get(balancer, PAGE).body()).as("the id from before the login is dead everywhere")
                .startsWith("login-page");

        TomcatNode victim = cluster.node(loggedIn.node());
        victim.kill();
        cluster.balancer.awaitStatus(victim, "DOWN");
        Page afterKill = expectLoggedIn(user, balancer, "after " + victim.route + " was killed", cluster);
        assertThat(afterKill.node()).as("served by a live node").isNotEqualTo(victim.route);
        cluster.restart(victim);

        String loggedInId = user.cookie();
        Page bye = user.get(balancer, LOGOUT);
        assertThat(bye.body()).as("%s", bye).startsWith("bye");
        for (TomcatNode node : cluster.nodes) {
            Browser again = cluster.browser();
            again.cookie(loggedInId);
            assertThat(again.get(node.httpPort, PAGE).body()).as("after the logout on %s, on %s", bye.node(), node)
                    .startsWith("login-page");
        }
    }

    private static Page expectLoggedIn(Browser user, int port, String when, Cluster cluster) {
        Page page = user.get(port, PAGE);
        assertThat(page.status()).as("%s: %s\n%s", when, page, cluster.logs()).isEqualTo(200);
        assertThat(page.line("user")).as("%s: %s", when, page).isEqualTo("alice");
        assertThat(page.line("manager")).as("%s: the role travels: %s", when, page).isEqualTo("true");
        assertThat(page.line("auth")).as("%s: %s", when, page).isEqualTo("FORM");
        return page;
    }

    private static String base(String id) {
        int dot = id.lastIndexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
