package io.sessioncluster.tomcat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which node's listeners hear what (the listener table of docs/behaviour.md): session listeners once, where the
 * session was
 * created or ended; attribute and binding listeners where the application made the change, never on a load;
 * activation listeners when a node loads a copy and when it releases its copies at stop; id listeners where the
 * id changed (also a takeover's new route, as Tomcat's JvmRouteBinderValve does).
 */
class ListenerSemanticsIT {

    @RegisterExtension
    final Cluster cluster = new Cluster();

    private TestNode a;
    private TestNode b;
    private final Browser browser = new Browser();

    private TestNode node(String name) {
        return cluster.start(cluster.builder(name, "allowedClasses", ListenerLog.class.getName())
                .configure(ListenerLog.on(name)));
    }

    @BeforeEach
    void start() {
        a = node("A");
        b = node("B");
        ListenerLog.take();
    }

    private void setProbe(TestNode node, String label) {
        assertThat(browser.call(node, "setClass", "name", "probe", "value", label,
                "class", ListenerLog.Probe.class.getName()).body()).isEqualTo("ok");
    }

    @Test
    void aSessionIsCreatedOnceWhereItWasCreatedAndALoadIsOnlyAnActivation() {
        setProbe(a, "p1");
        assertThat(ListenerLog.take()).containsExactly("A:created", "A:bound:p1", "A:added:probe");

        assertThat(browser.call(b, "get", "name", "probe").status()).isEqualTo(200); // B takes it over

        assertThat(ListenerLog.take()).containsExactly("B:didActivate:p1", "B:idChanged");
    }

    @Test
    void attributeAndBindingListenersFireOnlyWhereTheApplicationMadeTheChange() {
        setProbe(a, "p1");
        browser.call(b, "get", "name", "probe");
        ListenerLog.take();

        setProbe(b, "p2");
        assertThat(ListenerLog.take()).containsExactlyInAnyOrder("B:bound:p2", "B:unbound:p1", "B:replaced:probe");

        assertThat(browser.call(a, "get", "name", "probe").status()).isEqualTo(200); // back on A: a reload there
        assertThat(ListenerLog.take()).containsExactly("A:didActivate:p2", "A:idChanged");

        assertThat(browser.call(a, "remove", "name", "probe").status()).isEqualTo(200);
        assertThat(ListenerLog.take()).containsExactlyInAnyOrder("A:unbound:p2", "A:removed:probe");
    }

    @Test
    void anInvalidatedSessionIsDestroyedOnceOnTheNodeThatInvalidatedIt() {
        setProbe(a, "p1");
        browser.call(b, "get", "name", "probe");
        ListenerLog.take();

        assertThat(browser.call(b, "invalidate").status()).isEqualTo(200);
        assertThat(ListenerLog.take()).containsExactlyInAnyOrder("B:destroyed", "B:unbound:p1", "B:removed:probe");

        // A drops its copy when B's eviction arrives (asynchronous, bounded), without any listener.
        Await.until(Duration.ofSeconds(5), () -> a.manager().copies().size(), n -> n == 0, "A dropping its copy");
        assertThat(ListenerLog.take()).isEmpty();
    }

    @Test
    void anIdChangeIsHeardWhereItHappened() {
        setProbe(a, "p1");
        browser.call(b, "get", "name", "probe");
        ListenerLog.take();

        assertThat(browser.call(b, "changeId").status()).isEqualTo(200);

        assertThat(ListenerLog.take()).containsExactly("B:idChanged");
        assertThat(browser.call(a, "get", "name", "probe").status()).isEqualTo(200); // the new id, loaded on A
        assertThat(ListenerLog.take()).containsExactly("A:didActivate:p1", "A:idChanged");
    }

    @Test
    void aStoppingNodePassivatesItsCopiesAndDestroysNothing() {
        setProbe(a, "p1");
        ListenerLog.take();

        cluster.stop(a);

        assertThat(ListenerLog.take()).containsExactly("A:willPassivate:p1");
        assertThat(browser.call(b, "get", "name", "probe").body()).startsWith("io.sessioncluster.tomcat.ListenerLog");
        assertThat(ListenerLog.take()).containsExactly("B:didActivate:p1", "B:idChanged");
    }
}
