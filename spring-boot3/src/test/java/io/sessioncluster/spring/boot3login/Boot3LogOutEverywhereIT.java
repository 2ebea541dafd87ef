package io.sessioncluster.spring.boot3login;

import io.sessioncluster.spring.boot.ClusterUserSessions;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's form login, one user signed in from two browsers on two instances over Redis: the starter's
 * {@link ClusterUserSessions} bean finds both sessions under the user's name from either instance (the index follows
 * the security context, with no setting), and ends both, so both browsers are sent to the login page again.
 */
class Boot3LogOutEverywhereIT {

    @Test
    void aUsersSessionsOnTwoInstancesAreFoundAndEndedEverywhere() throws Exception {
        String redis = System.getenv("SESSION_CLUSTER_REDIS_URI");
        String password = "s3cret-" + UUID.randomUUID();
        String[] args = {"--session-cluster.store=redis",
                "--session-cluster.settings.redis-uri=" + (redis == null || redis.isBlank() ? "redis://127.0.0.1:6379" : redis),
                "--session-cluster.settings.key-prefix=boot3-logout-it-" + UUID.randomUUID().toString().substring(0, 8) + ":",
                "--test.password=" + password};
        try (ConfigurableApplicationContext a = Boot3LoginApp.start(args);
             ConfigurableApplicationContext b = Boot3LoginApp.start(args)) {
            Boot3Browser onA = new Boot3Browser();
            Boot3Browser onB = new Boot3Browser();
            logIn(onA, a, password);
            logIn(onB, b, password);
            assertThat(onA.send(a, "/account", null).body()).isEqualTo("signed in as " + Boot3LoginApp.USER);
            assertThat(onB.send(b, "/account", null).body()).isEqualTo("signed in as " + Boot3LoginApp.USER);

            ClusterUserSessions sessionsOfB = b.getBean(ClusterUserSessions.class);
            assertThat(a.getBean(ClusterUserSessions.class).findSessionIds(Boot3LoginApp.USER))
                    .containsExactlyInAnyOrder(onA.cookie(), onB.cookie());
            assertThat(sessionsOfB.findSessionIds("someone-else")).isEmpty();

            assertThat(sessionsOfB.expireAll(Boot3LoginApp.USER)).isEqualTo(2);

            for (Boot3Browser browser : new Boot3Browser[] {onA, onB}) {
                HttpResponse<String> after = browser.send(browser == onA ? a : b, "/account", null);
                assertThat(after.statusCode()).as(after.body()).isEqualTo(302);
                assertThat(after.headers().firstValue("location").orElseThrow()).endsWith("/login");
            }
            assertThat(sessionsOfB.findSessionIds(Boot3LoginApp.USER)).isEmpty();
        }
    }

    private static void logIn(Boot3Browser browser, ConfigurableApplicationContext app, String password) throws Exception {
        HttpResponse<String> login = browser.send(app, "/login", browser.loginForm(app, password));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        assertThat(login.headers().firstValue("location").orElseThrow()).doesNotContain("error");
    }
}
