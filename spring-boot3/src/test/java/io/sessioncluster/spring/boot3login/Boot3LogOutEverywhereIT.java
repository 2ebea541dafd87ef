package io.sessioncluster.spring.boot3login;

import io.sessioncluster.spring.boot.ClusterUserSessions;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's form login, one user signed in from two browsers on two instances over Redis: the starter's
 * {@link ClusterUserSessions} bean finds both sessions under the user's name from either instance (the index follows
 * the security context, with no setting), and ends both, so both browsers are sent to the login page again.
 */
class Boot3LogOutEverywhereIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");

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
            Browser onA = new Browser();
            Browser onB = new Browser();
            onA.logIn(a, password);
            onB.logIn(b, password);
            assertThat(onA.send(a, "/account", null).body()).isEqualTo("signed in as " + Boot3LoginApp.USER);
            assertThat(onB.send(b, "/account", null).body()).isEqualTo("signed in as " + Boot3LoginApp.USER);

            ClusterUserSessions sessionsOfB = b.getBean(ClusterUserSessions.class);
            assertThat(a.getBean(ClusterUserSessions.class).findSessionIds(Boot3LoginApp.USER))
                    .containsExactlyInAnyOrder(onA.cookie, onB.cookie);
            assertThat(sessionsOfB.findSessionIds("someone-else")).isEmpty();

            assertThat(sessionsOfB.expireAll(Boot3LoginApp.USER)).isEqualTo(2);

            for (Browser browser : new Browser[] {onA, onB}) {
                HttpResponse<String> after = browser.send(browser == onA ? a : b, "/account", null);
                assertThat(after.statusCode()).as(after.body()).isEqualTo(302);
                assertThat(after.headers().firstValue("location").orElseThrow()).endsWith("/login");
            }
            assertThat(sessionsOfB.findSessionIds(Boot3LoginApp.USER)).isEmpty();
        }
    }

    /** One browser: its own session cookie (no route: the instances have no jvmRoute). */
    private static final class Browser {
        private String cookie;

        void logIn(ConfigurableApplicationContext app, String password) throws Exception {
            HttpResponse<String> page = send(app, "/login", null);
            Matcher token = CSRF.matcher(page.body());
            assertThat(token.find()).as(page.body()).isTrue();
            HttpResponse<String> login = send(app, "/login", "username=" + Boot3LoginApp.USER + "&password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
                    + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8));
            assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
            assertThat(login.headers().firstValue("location").orElseThrow()).doesNotContain("error");
        }

        HttpResponse<String> send(ConfigurableApplicationContext app, String path, String form) throws Exception {
            String port = app.getEnvironment().getProperty("local.server.port");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (form != null) {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form));
            }
            if (cookie != null) {
                request.header("Cookie", "JSESSIONID=" + cookie);
            }
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("set-cookie")) {
                Matcher m = SESSION.matcher(header);
                if (m.lookingAt()) {
                    cookie = m.group(1);
                }
            }
            return response;
        }
    }
}
