package io.sessioncluster.examples.boot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the demo application, each on a random port, share their sessions through a store: what one
 * writes the other reads, whichever instance a request lands on, with real HTTP. Each store's IT extends this and
 * says how to start an instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedSessionsContract {

    /**
     * The tests send one browser to both instances in turn, as a round-robin balancer would: that is non-sticky
     * operation, where every request checks the stored version. (With {@code sticky=true}, the default, an instance
     * trusts its local copy and expects the balancer to keep sending the session to it.)
     */
    static final String NON_STICKY = "--session-cluster.settings.sticky=false";

    Instance a;
    Instance b;

    /** Starts instance {@code name} configured for this store. */
    abstract Instance startInstance(String name);

    @BeforeAll
    void startBoth() {
        a = startInstance("a");
        b = startInstance("b");
    }

    @AfterAll
    void stopBoth() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void aCartFilledOnOneInstanceIsSeenAndExtendedOnTheOther() {
        Browser browser = new Browser();
        assertThat(browser.post(a, "/cart?item=apple").body()).isEqualTo("a: apple");
        assertThat(browser.cookie()).isNotNull();

        assertThat(browser.get(b, "/cart").body()).isEqualTo("b: apple");
        assertThat(browser.post(b, "/cart?item=pear").body()).isEqualTo("b: apple,pear");
        assertThat(browser.get(a, "/cart").body()).isEqualTo("a: apple,pear");
        assertThat(browser.post(a, "/cart?item=plum").body()).isEqualTo("a: apple,pear,plum");
        assertThat(browser.get(b, "/cart").body()).isEqualTo("b: apple,pear,plum");
    }

    /** The application's own class, with no allowed-classes setting: the starter admits its packages. */
    @Test
    void anObjectOfTheApplicationsOwnClassIsSharedWithoutAnySetting() {
        Browser browser = new Browser();
        assertThat(browser.post(a, "/cart?item=plum").status()).isEqualTo(200);

        assertThat(browser.get(b, "/cart/last").body()).isEqualTo("b: plum");
    }

    @Test
    void aSessionInvalidatedOnOneInstanceIsGoneOnTheOther() {
        Browser browser = new Browser();
        String createdOnA = events(a, "created");
        browser.post(a, "/cart?item=apple");
        assertThat(events(a, "created")).isNotEqualTo(createdOnA); // HttpSessionListener beans fire as in any Tomcat
        assertThat(browser.get(b, "/cart").body()).isEqualTo("b: apple");

        long destroyedOnB = Long.parseLong(events(b, "destroyed"));
        assertThat(browser.post(b, "/logout").body()).isEqualTo("bye from b");
        assertThat(Long.parseLong(events(b, "destroyed"))).isEqualTo(destroyedOnB + 1);
        Browser.Reply afterLogout = browser.get(a, "/cart");
        assertThat(afterLogout.status()).isEqualTo(404);
        assertThat(afterLogout.body()).isEqualTo("no session");
    }

    /** One count of an instance's session listener ({@code created} or {@code destroyed}). */
    static String events(Instance instance, String which) {
        for (String part : new Browser().get(instance, "/events").body().split(" ")) {
            if (part.startsWith(which + "=")) {
                return part.substring(which.length() + 1);
            }
        }
        throw new IllegalStateException("no " + which + " count from " + instance);
    }

    @Test
    void twoBrowsersKeepTheirOwnCarts() {
        Browser one = new Browser();
        Browser two = new Browser();
        one.post(a, "/cart?item=apple");
        two.post(b, "/cart?item=pear");
        assertThat(one.get(b, "/cart").body()).isEqualTo("b: apple");
        assertThat(two.get(a, "/cart").body()).isEqualTo("a: pear");
    }
}
