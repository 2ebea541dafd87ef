package io.sessioncluster.tomcat;

import org.apache.catalina.Context;
import org.apache.catalina.manager.JMXProxyServlet;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics MBean of real nodes on Redis, read through the platform MBean server (where Tomcat's registry puts
 * it) and through Tomcat's JMX proxy servlet, after real requests: the figures move as the requests say they must.
 */
class JmxStatisticsIT {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @RegisterExtension
    final Cluster cluster = new Cluster();

    private static ObjectName name(String host) {
        try {
            return new ObjectName("io.sessioncluster:type=SessionCluster,host=" + host + ",context=/");
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object read(ObjectName name, String attribute) {
        try {
            return JMX.getAttribute(name, attribute);
        } catch (JMException e) {
            throw new AssertionError(name + " " + attribute, e);
        }
    }

    private static long count(ObjectName name, String attribute) {
        return (Long) read(name, attribute);
    }

    private static void jmxProxy(Context context) {
        Tomcat.addServlet(context, "jmxproxy", new JMXProxyServlet()).addMapping("/jmxproxy/*");
    }

    @Test
    void eachNodesMBeanCountsTheStoreCallsOfRealRequestsAndTheProxyServletReadsThem() {
        TestNode a = cluster.start(cluster.builder("nodeA").hostName("a.test").configure(JmxStatisticsIT::jmxProxy));
        TestNode b = cluster.start(cluster.builder("nodeB").hostName("b.test"));
        ObjectName onA = name("a.test");
        ObjectName onB = name("b.test");
        assertThat(JMX.isRegistered(onA)).isTrue();
        assertThat(JMX.isRegistered(onB)).isTrue();
        assertThat(read(onA, "StoreAvailable")).isEqualTo(true);
        assertThat(count(onA, "ClockReadCount")).as("the store's clock read at start").isPositive();
        assertThat(count(onA, "LoadCount")).isZero();

        Browser browser = new Browser();
        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();
        assertThat(count(onA, "WriteCount")).as("the new session written at once (sync)").isEqualTo(1);
        assertThat(count(onA, "ChangeSetsWritten")).isEqualTo(1);
        assertThat(count(onA, "BytesWritten")).isPositive();
        assertThat((Double) read(onA, "WriteTimeMillis")).isPositive();

        // Failover: B loads the session, takes it over and tells A to drop its copy.
        assertThat(browser.callAs(id, b, "get", "name", "user").body()).isEqualTo("alice");
        assertThat(count(onB, "LoadCount")).isEqualTo(1);
        assertThat(count(onB, "LoadFailures")).isZero();
        assertThat(count(onB, "BytesRead")).isPositive();
        assertThat((Double) read(onB, "LoadP99Millis")).isPositive();
        assertThat((Double) read(onB, "LoadMaxMillis")).isGreaterThanOrEqualTo((Double) read(onB, "LoadP50Millis"));
        assertThat(count(onB, "Failovers")).isEqualTo(1);
        assertThat(count(onB, "EvictionNoticeCount")).isEqualTo(1);
        Await.until(Duration.ofSeconds(10), () -> count(onA, "EvictionsReceived"), n -> n >= 1,
                "A to hear of B's takeover");

        // A read-only request: its access time goes out with the next touch batch, about a second later.
        assertThat(browser.call(b, "get", "name", "user").body()).isEqualTo("alice");
        Await.until(Duration.ofSeconds(10), () -> count(onB, "TouchCount"), n -> n >= 1, "B's touch batch");
        assertThat(count(onB, "ReadUnavailableResponses") + count(onB, "WriteUnavailableResponses")).isZero();
        assertThat(count(onB, "ActiveSessions")).isEqualTo(1);

        // Tomcat's JMX proxy servlet (as the manager application serves it) reads the same MBean.
        Browser.Reply proxied = new Browser().get(a,
                "/jmxproxy/?get=io.sessioncluster:type=SessionCluster,host=a.test,context=/&att=WriteCount");
        assertThat(proxied.status()).isEqualTo(200);
        Matcher value = Pattern.compile("OK - Attribute get '[^']+' - WriteCount = (\\d+)").matcher(proxied.body());
        assertThat(value.find()).as(proxied.body()).isTrue();
        assertThat(Long.parseLong(value.group(1))).isEqualTo(count(onA, "WriteCount"));
        String listing = new Browser().get(a, "/jmxproxy/?qry=io.sessioncluster:type=SessionCluster,*").body();
        assertThat(listing).contains("Name: io.sessioncluster:type=SessionCluster,host=a.test,context=/")
                .contains("StoreAvailable: true").contains("LoadP99Millis: ");

        cluster.stop(b);
        assertThat(JMX.isRegistered(onB)).as("unregistered when the manager stops").isFalse();
        assertThat(JMX.isRegistered(onA)).isTrue();
    }

    @Test
    void anOutageShowsAsTheStoreDownSinceItsFirstFailureWithIts503sThenUpAgain() {
        TcpProxy proxy = cluster.keep(new TcpProxy(cluster.redis().uri));
        TestNode a = cluster.start(cluster.builder("nodeA", "redisUri", proxy.uri(), "redisTimeoutMillis", "1000")
                .hostName("outage.test"));
        ObjectName onA = name("outage.test");
        Browser browser = new Browser();
        assertThat(browser.call(a, "set", "name", "user", "value", "alice").status()).isEqualTo(200);
        String id = browser.cookie();
        assertThat(read(onA, "StoreAvailable")).isEqualTo(true);

        long beforeOutage = System.currentTimeMillis();
        proxy.down();
        // Needs the store before the application runs (another route: a failover): 503 on the read path.
        Browser other = new Browser();
        other.cookie(id.replace(".nodeA", ".nodeB"));
        assertThat(other.call(a, "get", "name", "user").status()).isEqualTo(503);
        // Changes that cannot be written: 503 on the write path.
        assertThat(browser.call(a, "set", "name", "cart", "value", "3 items").status()).isEqualTo(503);

        assertThat(read(onA, "StoreAvailable")).isEqualTo(false);
        long downSince = count(onA, "StoreStateSinceMillis");
        assertThat(downSince).isBetween(beforeOutage, System.currentTimeMillis());
        assertThat(Instant.parse((String) read(onA, "StoreStateSince")).toEpochMilli()).isEqualTo(downSince);
        assertThat(count(onA, "StoreOutages")).isEqualTo(1);
        assertThat(count(onA, "ReadUnavailableResponses")).isEqualTo(1);
        assertThat(count(onA, "WriteUnavailableResponses")).isEqualTo(1);
        assertThat(count(onA, "LoadFailures") + count(onA, "VersionCheckFailures")).isPositive();
        assertThat(count(onA, "WriteFailures")).isPositive();
        assertThat(count(onA, "ChangeSetWriteFailures")).isPositive();

        proxy.up();
        Await.recovery(Duration.ofSeconds(15), () -> browser.call(a, "set", "name", "cart", "value", "3 items"),
                "the node to recover");
        assertThat(read(onA, "StoreAvailable")).isEqualTo(true);
        assertThat(count(onA, "StoreStateSinceMillis")).as("up since the recovery").isGreaterThan(downSince);
        assertThat(count(onA, "StoreOutages")).isEqualTo(1);
    }
}
