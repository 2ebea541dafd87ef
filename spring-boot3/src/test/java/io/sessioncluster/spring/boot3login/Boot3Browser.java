package io.sessioncluster.spring.boot3login;

import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** One browser of {@link Boot3LoginApp}: its session cookie, kept across instances (no route: no jvmRoute). */
final class Boot3Browser {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("JSESSIONID=([^;]+)");

    private String cookie;

    String cookie() {
        return cookie;
    }

    /** The login form read from {@code app} (for its CSRF token), filled in. */
    String loginForm(ConfigurableApplicationContext app, String password) throws Exception {
        HttpResponse<String> page = send(app, "/login", null);
        Matcher token = CSRF.matcher(page.body());
        assertThat(token.find()).as(page.body()).isTrue();
        return "username=" + Boot3LoginApp.USER + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
    }

    /** GET, or a form POST when {@code form} is given, with the session cookie. */
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
