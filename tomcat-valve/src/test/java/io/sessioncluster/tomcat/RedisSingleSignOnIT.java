package io.sessioncluster.tomcat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SingleSignOnExpiryScenarios} on Redis, and what needs showing once: configuration errors, an outage, a
 * corrupt entry, no password in the store.
 */
class RedisSingleSignOnIT extends SingleSignOnExpiryScenarios {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    @Override
    Map<String, String> appSettings(String app) {
        return cluster.redis().settings("keyPrefix", cluster.redis().prefix + app + ":");
    }

    @Override
    TestNode node(String name) {
        return cluster.start(builder(name, valve(appSettings("sso"))));
    }

    private TestNode.Builder builder(String name, ClusteredSingleSignOn valve) {
        return cluster.builder(name)
                .context("/app1", appSettings("app1"), app())
                .context("/app2", appSettings("app2"), app())
                .hostValve(valve);
    }

    static ClusteredSingleSignOn valve(Map<String, String> settings) {
        ClusteredSingleSignOn valve = new ClusteredSingleSignOn();
        settings.forEach(valve::setProperty);
        return valve;
    }

    @Test
    void theEntryInTheStoreHoldsThePrincipalButNeverThePassword() {
        TestNode a = node("nodeA");
        Browser browser = new Browser();
        LoginScenarios.formLogin(browser, a, "/app1", "alice");
        String key = cluster.redis().prefix + "sso:s:" + browser.cookie(SSO_COOKIE, "/");
        assertThat(cluster.redis().exists(key)).isTrue();
        byte[] auth = cluster.redis().hget(key, "a:" + SsoEntries.AUTH);
        assertThat(new String(auth, StandardCharsets.ISO_8859_1)).contains("alice").doesNotContain(LoginApp.PASSWORD);
    }

    @Test
    void anEntryStoredInAFormThisNodeCannotReadLogsNobodyIn() {
        TestNode a = node("nodeA");
        Browser browser = new Browser();
        LoginScenarios.formLogin(browser, a, "/app1", "alice");
        String key = cluster.redis().prefix + "sso:s:" + browser.cookie(SSO_COOKIE, "/");
        cluster.redis().hset(key, "a:" + SsoEntries.AUTH, new byte[] {0, 0, 0, 1, 7, 7});

        Browser.Reply reply = browser.get(a, "/app2/secure/page");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("login-page");
    }

    @Test
    void whileTheStoreIsDownACookieIsA503AndKeptThenLogsInAgain() {
        TcpProxy proxy = cluster.keep(new TcpProxy(cluster.redis().uri));
        Map<String, String> settings = appSettings("sso");
        settings.put("redisUri", proxy.uri());
        settings.put("redisTimeoutMillis", "1000");
        TestNode a = cluster.start(builder("nodeA", valve(settings)));
        Browser browser = new Browser();
        LoginScenarios.formLogin(browser, a, "/app1", "alice");
        String ssoCookie = browser.cookie(SSO_COOKIE, "/");

        proxy.down();
        Browser.Reply reply = browser.get(a, "/app2/secure/page");
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.retryAfter()).isPresent();
        assertThat(browser.cookie(SSO_COOKIE, "/")).as("not told to drop the cookie").isEqualTo(ssoCookie);

        proxy.up();
        Await.until(Duration.ofSeconds(10), () -> page(a, browser, "/app2"), body -> body.startsWith("user=alice"),
                "the login to be found again once the store answers");
    }

    @Test
    void badSettingsStopTheStartNamingEveryAttributeWithSecretsMasked() {
        Map<String, String> settings = appSettings("sso");
        settings.put("redisUri", "http://user:hunter2@127.0.0.1:6379");
        settings.put("ssoMaxInactiveSeconds", "5");
        settings.put("requireReauthentication", "yes");
        settings.put("writeMode", "sync");
        settings.put("noSuchSetting", "1");
        ClusteredSingleSignOn valve = valve(settings);
        valve.setCookieName("bad name");

        assertThatThrownBy(() -> cluster.start(builder("nodeA", valve)))
                .satisfies(e -> assertThat(messages(e))
                        .contains("Cannot start single sign-on for host [localhost]")
                        .contains("redisUri [****]")
                        .contains("ssoMaxInactiveSeconds [5]")
                        .contains("requireReauthentication [yes]")
                        .contains("writeMode: does not apply to single sign-on")
                        .contains("noSuchSetting: unknown setting")
                        .contains("cookieName [bad name]")
                        .doesNotContain("hunter2"));
    }

    @Test
    void withoutAStoreTheStartNamesTheSetting() {
        ClusteredSingleSignOn valve = new ClusteredSingleSignOn();
        assertThatThrownBy(() -> cluster.start(builder("nodeA", valve)))
                .satisfies(e -> assertThat(messages(e)).contains("store: required; allowed are"));
    }

    /** Every message of the cause chain: Tomcat wraps a child's failure in its own. */
    static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
            for (Throwable s : t.getSuppressed()) {
                all.append(messages(s));
            }
        }
        return all.toString();
    }
}
