package io.sessioncluster.tomcat;

import org.apache.catalina.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static io.sessioncluster.tomcat.LoginApp.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link LoginScenarios} on Redis, and what only needs showing once: the store never holds a password. */
class RedisLoginIT extends LoginScenarios {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    @Override
    TestNode node(String name, Consumer<Context> app, String... settings) {
        return cluster.start(cluster.builder(name, settings).configure(app));
    }

    @Override
    void kill(TestNode node) {
        cluster.stop(node);
    }

    @Test
    void theStoreNeverHoldsAPasswordWhateverTheCacheSetting() {
        for (boolean cache : new boolean[] {true, false}) {
            TestNode a = node("node" + cache, LoginApp.form(cache));
            Browser browser = new Browser();
            formLogin(browser, a);
            assertThat(browser.get(a, "/secure/page").body()).startsWith(PAGE_OF_ALICE);
        }
        assertThat(cluster.redis().allSessionBytes()).isNotEmpty()
                .allSatisfy(bytes -> assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD));
    }

    /**
     * {@code persistAuthentication="false"} and {@code cache="false"}: the login lives in the local copy of the node
     * that made it. Behind a round-robin balancer (no routes, {@code sticky="false"}) that copy is reloaded whenever
     * another node wrote the session; the login survives the reload, and never reaches the other node.
     */
    @ParameterizedTest
    @CsvSource({"false, true", "true, false"})
    void aLoginKeptLocalSurvivesReloadsOfItsNodesCopy(String persistAuthentication, boolean cache) {
        TestNode a = cluster.start(cluster.builder("nodeA", "persistAuthentication", persistAuthentication,
                "sticky", "false").noRoute().configure(LoginApp.form(cache)));
        TestNode b = cluster.start(cluster.builder("nodeB", "persistAuthentication", persistAuthentication,
                "sticky", "false").noRoute().configure(LoginApp.form(cache)));
        Browser browser = new Browser();
        formLogin(browser, a);
        assertThat(browser.get(a, "/secure/page").body()).startsWith(PAGE_OF_ALICE);

        assertThat(browser.call(b, "set", "name", "cart", "value", "apple").status()).isEqualTo(200);
        // An unprotected page: the authenticator still restores a principal cached in the session, if B had one.
        // (A protected page would start a login on B, which changes the session id and so ends A's local copy.)
        assertThat(browser.get(b, "/open").body()).as("not on B").isEqualTo("open user=null new=false");

        assertThat(browser.get(a, "/secure/page").body()).startsWith(PAGE_OF_ALICE);
        assertThat(browser.call(a, "get", "name", "cart").body()).as("A's copy was reloaded").isEqualTo("apple");
    }
}
