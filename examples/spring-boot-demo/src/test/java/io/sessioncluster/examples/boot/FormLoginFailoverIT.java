package io.sessioncluster.examples.boot;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.authentication.BadCredentialsException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's form login ({@link SecurityConfiguration}: defaults, an in-memory user, {@code /account}
 * protected) on instances configured with nothing but the Redis store (its address at
 * {@code SESSION_CLUSTER_REDIS_URI}, default {@code redis://127.0.0.1:6379}, and a key prefix of this run): no
 * {@code allowed-classes}, no {@code sticky=false}. The starter's allow-list of Spring Security's session classes is
 * what makes these pass; without it the first request already fails (its saved request is refused).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormLoginFailoverIT {

    private static final String USER = "shopper";
    private static final String PASSWORD = "s3cret-" + UUID.randomUUID();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private final String prefix = "boot-login-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private Instance a;
    private Instance b;

    private Instance start(String name) {
        List<String> args = new ArrayList<>(List.of("--session-cluster.store=redis",
                "--session-cluster.settings.redis-uri=" + redisUri(), "--session-cluster.settings.key-prefix=" + prefix,
                "--demo.user=" + USER, "--demo.password=" + PASSWORD));
        args.addAll(codecArgs());
        return Instance.start(name, args.toArray(String[]::new));
    }

    /** The default codec (Kryo): nothing. */
    List<String> codecArgs() {
        return List.of();
    }

    /**
     * Whether the codec can encode a failed login's exception. Kryo cannot ({@code Throwable}'s fields are closed to
     * it on Java 17): the manager leaves that attribute out of the store with a warning.
     */
    boolean replicatesExceptions() {
        return false;
    }

    @BeforeAll
    void startBoth() {
        a = start("a");
        b = start("b");
    }

    @AfterAll
    void stopBoth() {
        b.close();
        a.close();
    }

    @Test
    void theFirstUnauthenticatedRequestIsSentToTheLoginPage() {
        Browser browser = new Browser();
        Browser.Reply reply = browser.get(a, "/account");
        assertThat(reply.status()).as(reply.body()).isEqualTo(302);
        assertThat(reply.location()).endsWith("/login");
        assertThat(browser.cookie()).as("the saved request's session").isNotNull();
        assertThat(browser.get(b, "/login").body()).contains("name=\"username\"").contains("name=\"_csrf\"");
    }

    @Test
    void aLoginMadeOnOneInstanceHoldsOnTheOtherAfterTheFirstStops() {
        Instance c = start("c");
        Browser browser = new Browser();
        try {
            assertThat(browser.get(c, "/account").status()).isEqualTo(302);
            Browser.Reply login = logIn(browser, c, c, PASSWORD);
            assertThat(login.location()).endsWith("/account?continue");
            assertThat(browser.get(c, "/account").body()).isEqualTo("c: shopper (profile)");
        } finally {
            c.close();
        }
        Browser.Reply onB = browser.get(b, "/account");
        assertThat(onB.status()).as(onB.body()).isEqualTo(200);
        assertThat(onB.body()).isEqualTo("b: shopper (profile)");
    }

    @Test
    void theRequestSavedOnOneInstanceIsResumedByTheInstanceThatTookTheLogin() {
        Browser browser = new Browser();
        Browser.Reply first = browser.get(a, "/account?tab=orders");
        assertThat(first.status()).isEqualTo(302);

        Browser.Reply login = logIn(browser, a, b, PASSWORD);
        assertThat(login.status()).isEqualTo(302);
        // The saved request's URL is a's (host and port as a saw them; a balancer's in production): its path matters.
        assertThat(login.location()).endsWith("/account?tab=orders&continue");
        String resumed = login.location().substring(login.location().indexOf("/account"));
        assertThat(browser.get(b, resumed).body()).isEqualTo("b: shopper (orders)");
        assertThat(browser.get(a, "/account").body()).isEqualTo("a: shopper (profile)");
    }

    @Test
    void aFailedLoginIsAnsweredOnEitherInstanceAndItsTypedPasswordIsNotStored() {
        Browser browser = new Browser();
        browser.get(a, "/account");
        String typo = "typo-" + UUID.randomUUID();
        Browser.Reply wrong = logIn(browser, a, a, typo);
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(302);
        assertThat(wrong.location()).endsWith("/login?error");
        assertThat(browser.get(b, "/login?error").body()).contains("Invalid credentials");
        // Spring Security keeps the failure (its exception) in the session for a login page of the application's
        // own, and the exception holds the login attempt: the starter erased its password before the session was
        // written. (Kryo marks the end of an ASCII string in its last byte: all but the last character are searched.)
        String stored = storedSessions();
        assertThat(stored).doesNotContain(typo.substring(0, typo.length() - 1));
        if (replicatesExceptions()) {
            assertThat(stored).contains(BadCredentialsException.class.getName()).contains("Bad credentials");
        }

        assertThat(logIn(browser, b, b, PASSWORD).location()).endsWith("/account?continue");
        assertThat(browser.get(b, "/account").body()).isEqualTo("b: shopper (profile)");
        assertThat(storedSessions()).doesNotContain(PASSWORD.substring(0, PASSWORD.length() - 1));
    }

    /** Every session hash of this run's prefix, as ISO-8859-1 text: each byte one character. */
    private String storedSessions() {
        RedisClient client = RedisClient.create(redisUri());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            StringBuilder all = new StringBuilder();
            for (byte[] key : connection.sync().keys(prefix + "s:*")) {
                connection.sync().hgetall(key).forEach((field, value) -> all
                        .append(new String(field, StandardCharsets.ISO_8859_1)).append('=')
                        .append(new String(value, StandardCharsets.ISO_8859_1)).append('\n'));
            }
            assertThat(all).as("sessions under " + prefix).isNotEmpty();
            return all.toString();
        } finally {
            client.shutdown();
        }
    }

    /** Reads the login form (and its CSRF token) on {@code formFrom}, posts it to {@code postTo}. */
    private static Browser.Reply logIn(Browser browser, Instance formFrom, Instance postTo, String password) {
        Browser.Reply page = browser.get(formFrom, "/login");
        assertThat(page.status()).isEqualTo(200);
        Matcher token = CSRF.matcher(page.body());
        assertThat(token.find()).as(page.body()).isTrue();
        return browser.postForm(postTo, "/login", Map.of("username", USER, "password", password,
                "_csrf", token.group(1)));
    }

    private static String redisUri() {
        String env = System.getenv("SESSION_CLUSTER_REDIS_URI");
        return env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env;
    }
}
