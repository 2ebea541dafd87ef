package io.sessioncluster.spring.boot3login;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security 6.5's form login on Boot 3.5 and Tomcat 10.1, two instances with nothing set but the Redis store
 * (at {@code SESSION_CLUSTER_REDIS_URI}, under a key prefix of this run): the first request is sent to the login
 * page, a login begun on one instance is taken by the other, which resumes the saved request, and it holds after the
 * first instance stops. The starter's own allow-list of Spring Security's session classes makes this work.
 */
class Boot3FormLoginIT {

    private final Boot3Browser browser = new Boot3Browser();

    @Test
    void aLoginBegunOnOneInstanceIsFinishedOnTheOtherAndSurvivesTheFirstStopping() throws Exception {
        assertThat(ServerInfo.getServerNumber()).startsWith("10.1.");
        String redis = System.getenv("SESSION_CLUSTER_REDIS_URI");
        String password = "s3cret-" + UUID.randomUUID();
        String[] args = {"--session-cluster.store=redis",
                "--session-cluster.settings.redis-uri=" + (redis == null || redis.isBlank() ? "redis://127.0.0.1:6379" : redis),
                "--session-cluster.settings.key-prefix=boot3-login-it-" + UUID.randomUUID().toString().substring(0, 8) + ":",
                "--test.password=" + password};
        try (ConfigurableApplicationContext b = Boot3LoginApp.start(args)) {
            try (ConfigurableApplicationContext a = Boot3LoginApp.start(args)) {
                HttpResponse<String> first = send(a, "/account", null);
                assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
                assertThat(first.headers().firstValue("location").orElseThrow()).endsWith("/login");

                HttpResponse<String> wrong = send(b, "/login", form(a, "not-" + password));
                assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(302);
                assertThat(wrong.headers().firstValue("location").orElseThrow()).endsWith("/login?error");

                HttpResponse<String> login = send(b, "/login", form(a, password));
                assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
                String saved = login.headers().firstValue("location").orElseThrow();
                assertThat(saved).endsWith("/account?continue");
                HttpResponse<String> resumed = send(b, saved.substring(saved.indexOf("/account")), null);
                assertThat(resumed.body()).isEqualTo("signed in as " + Boot3LoginApp.USER);
                assertThat(send(a, "/account", null).body()).isEqualTo("signed in as " + Boot3LoginApp.USER);
            }
            HttpResponse<String> afterAStopped = send(b, "/account", null);
            assertThat(afterAStopped.statusCode()).as(afterAStopped.body()).isEqualTo(200);
            assertThat(afterAStopped.body()).isEqualTo("signed in as " + Boot3LoginApp.USER);
        }
    }

    private String form(ConfigurableApplicationContext app, String password) throws Exception {
        return browser.loginForm(app, password);
    }

    private HttpResponse<String> send(ConfigurableApplicationContext app, String path, String form) throws Exception {
        return browser.send(app, path, form);
    }
}
