package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's manager application (its {@code ManagerServlet}, as Tomcat ships it) on a cluster over Redis: its session
 * listing counts the cluster's sessions of the context, not only the local copies, up to {@code listLimit}; and its
 * expiry of idle sessions ends them on every node. Everyone else asking the manager for its sessions gets the local
 * copies only.
 */
class ManagerApplicationIT {

    private static final Pattern LISTED = Pattern.compile("Inactive for \\[<1\\] minutes: \\[(\\d+)\\] sessions");
    private static final Pattern EXPIRED = Pattern.compile("\\[>0\\] minutes: \\[(\\d+)\\] sessions were expired");

    @RegisterExtension
    final Cluster cluster = new Cluster();

    @Test
    void theSessionsPageCountsTheClustersSessionsAndItsExpiryEndsThemEverywhere() {
        TestNode a = cluster.start(cluster.builder("nodeA").managerApplication());
        TestNode b = cluster.node("nodeB");
        TestNode c = cluster.node("nodeC");
        List<TestNode> nodes = List.of(a, b, c);
        List<Browser> browsers = List.of(new Browser(), new Browser(), new Browser());
        for (int i = 0; i < 3; i++) {
            assertThat(browsers.get(i).call(nodes.get(i), "set", "name", "cart", "value", "item-" + i).body())
                    .isEqualTo("ok");
        }
        assertThat(a.manager().findSessions()).as("to anyone but the manager application: the local copies")
                .hasSize(1);

        assertThat(count(LISTED, new Browser().get(a, "/manager/text/sessions?path=/").body())).isEqualTo(3);

        String expired = new Browser().get(a, "/manager/text/expire?path=/&idle=0").body();
        assertThat(count(EXPIRED, expired)).as(expired).isEqualTo(3);
        // Each node drops its copy when the store's eviction notice arrives (Redis pub/sub: within milliseconds).
        for (int i = 0; i < 3; i++) {
            Browser browser = browsers.get(i);
            TestNode node = nodes.get(i);
            Await.until(Duration.ofSeconds(10), () -> browser.call(node, "get", "name", "cart").body(),
                    "no-session"::equals, "the session gone on " + node.name());
        }
        assertThat(cluster.redis().allSessionBytes()).as("nothing left in the store").isEmpty();
        assertThat(count(LISTED, new Browser().get(a, "/manager/text/sessions?path=/").body())).isZero();
    }

    @Test
    void theListingIsBoundedByListLimit() {
        TestNode a = cluster.start(cluster.builder("nodeA", "listLimit", "2").managerApplication());
        TestNode b = cluster.node("nodeB");
        new Browser().call(a, "set", "name", "n", "value", "1");
        for (int i = 0; i < 4; i++) {
            new Browser().call(b, "set", "name", "n", "value", "1");
        }

        assertThat(count(LISTED, new Browser().get(a, "/manager/text/sessions?path=/").body())).isEqualTo(2);
    }

    @Test
    void listLimitZeroListsTheLocalCopiesOnly() {
        TestNode a = cluster.start(cluster.builder("nodeA", "listLimit", "0").managerApplication());
        TestNode b = cluster.node("nodeB");
        Browser local = new Browser();
        local.call(a, "set", "name", "n", "value", "1");
        new Browser().call(b, "set", "name", "n", "value", "1");

        assertThat(count(LISTED, new Browser().get(a, "/manager/text/sessions?path=/").body())).isEqualTo(1);
        assertThat(SessionIds.route(local.cookie())).isEqualTo("nodeA");
    }

    /** The number the manager application's text answer gives; fails the test on an answer that is not OK. */
    private static int count(Pattern pattern, String body) {
        assertThat(body).as("the manager application's answer").startsWith("OK - ");
        Matcher m = pattern.matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
