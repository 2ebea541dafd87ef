package io.sessioncluster.tomcat;

import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statistics MBean as a JMX client sees it: names, simple types, one snapshot per read, the documented list. */
class StatisticsMBeanTest {

    private static final UserSessionsOperations NO_USERS = new UserSessionsOperations(name -> Set.of(), name -> 0);
    private final AtomicInteger snapshots = new AtomicInteger();

    private ManagerStatistics statistics() {
        snapshots.incrementAndGet();
        Map<StoreOperation, OperationStatistics> operations = new EnumMap<>(StoreOperation.class);
        operations.put(StoreOperation.LOAD, new OperationStatistics(12, 2, 36_000_000, 1.5, 4.25, 9.0, 11.0));
        return new ManagerStatistics(3, 20, 4096, 50_000_000, 1, 2, 4, 8_000_000, 1, 0, operations, 2048, 5, 1, 7,
                6, 12_500_000, 1, 9, 4, false, 1_700_000_000_000L, 2);
    }

    @Test
    void attributesReadTheFiguresOfOneSnapshotInSimpleTypes() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ObjectName name = new ObjectName("io.sessioncluster:type=SessionCluster,host=localhost,context=/app");
        server.registerMBean(new StatisticsMBean(this::statistics, "/app", NO_USERS), name);

        assertThat(server.getAttribute(name, "LoadCount")).isEqualTo(12L);
        assertThat(server.getAttribute(name, "LoadFailures")).isEqualTo(2L);
        assertThat(server.getAttribute(name, "LoadTimeMillis")).isEqualTo(36.0);
        assertThat(server.getAttribute(name, "LoadP95Millis")).isEqualTo(4.25);
        assertThat(server.getAttribute(name, "LoadMaxMillis")).isEqualTo(11.0);
        assertThat(server.getAttribute(name, "DeleteCount")).isEqualTo(0L);
        assertThat(server.getAttribute(name, "ActiveSessions")).isEqualTo(3L);
        assertThat(server.getAttribute(name, "ChangeSetsWritten")).isEqualTo(20L);
        assertThat(server.getAttribute(name, "ChangeSetWriteMillis")).isEqualTo(50.0);
        assertThat(server.getAttribute(name, "BytesRead")).isEqualTo(2048L);
        assertThat(server.getAttribute(name, "AsyncQueueDepth")).isEqualTo(7L);
        assertThat(server.getAttribute(name, "AsyncQueueWaitMillis")).isEqualTo(12.5);
        assertThat(server.getAttribute(name, "ReadUnavailableResponses")).isEqualTo(9L);
        assertThat(server.getAttribute(name, "StoreAvailable")).isEqualTo(false);
        assertThat(server.getAttribute(name, "StoreStateSince")).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(server.getAttribute(name, "StoreStateSinceMillis")).isEqualTo(1_700_000_000_000L);
        assertThat(server.getAttribute(name, "StoreOutages")).isEqualTo(2L);

        snapshots.set(0);
        List<Attribute> read = server.getAttributes(name, new String[] {"LoadCount", "BytesWritten", "Nope"}).asList();
        assertThat(read).extracting(Attribute::getName).containsExactly("LoadCount", "BytesWritten");
        assertThat(snapshots).as("one snapshot for all").hasValue(1);

        MBeanAttributeInfo[] infos = server.getMBeanInfo(name).getAttributes();
        assertThat(infos).hasSize(StatisticsAttributes.all().size()).allSatisfy(info -> {
            assertThat(info.isReadable()).isTrue();
            assertThat(info.isWritable()).isFalse();
            assertThat(info.getType()).isIn("long", "double", "boolean", "java.lang.String");
            assertThat(info.getDescription()).isNotBlank();
            assertThat(server.getAttribute(name, info.getName()).getClass().getName())
                    .isIn("java.lang.Long", "java.lang.Double", "java.lang.Boolean", "java.lang.String");
        });
        assertThat(infos).hasSizeGreaterThan(7 * StoreOperation.values().length);

        assertThatThrownBy(() -> server.getAttribute(name, "Loads")).isInstanceOf(AttributeNotFoundException.class);
        assertThatThrownBy(() -> server.setAttribute(name, new Attribute("LoadCount", 0L)))
                .isInstanceOf(AttributeNotFoundException.class).hasMessageContaining("read-only");
    }

    @Test
    void theObjectNameIsTomcatsHostAndContextNameUnderOurDomain() throws Exception {
        StandardHost host = new StandardHost();
        host.setName("localhost");
        assertThat(JmxRegistration.objectName(context(host, "")))
                .isEqualTo(new ObjectName("io.sessioncluster:type=SessionCluster,host=localhost,context=/"));
        ObjectName app = JmxRegistration.objectName(context(host, "/shop##2"));
        assertThat(app.getKeyPropertyListString()).isEqualTo("type=SessionCluster,host=localhost,context=/shop##2");
        ObjectName odd = JmxRegistration.objectName(context(host, "/a,b=c"));
        assertThat(odd.getKeyProperty("context")).isEqualTo(ObjectName.quote("/a,b=c"));
    }

    private static StandardContext context(StandardHost host, String name) {
        StandardContext context = new StandardContext();
        context.setName(name);
        context.setParent(host);
        return context;
    }

    /**
     * The Prometheus JMX exporter configuration (examples/prometheus/jmx-exporter.yaml) exports every number and boolean of the MBean,
     * under the name its rule gives. The exporter matches each rule against
     * {@code domain<key=value, key=value><>Attribute: value}, as {@code ^.*(?:pattern).*$}, first rule wins.
     */
    @Test
    void theExporterRulesOfTheExampleConfigurationMatchEveryNumberOnce() throws IOException {
        String page = Files.readString(Path.of("..", "examples", "prometheus", "jmx-exporter.yaml"));
        List<String[]> rules = new java.util.ArrayList<>(); // pattern, name
        java.util.regex.Matcher rule = java.util.regex.Pattern
                .compile("(?m)^  - pattern: '([^']+)'\n    name: (\\S+)").matcher(page);
        while (rule.find()) {
            rules.add(new String[] {rule.group(1), rule.group(2)});
        }
        assertThat(rules).hasSizeGreaterThan(10);
        for (StatisticsAttributes.Attribute attribute : StatisticsAttributes.all().values()) {
            String input = "io.sessioncluster<type=SessionCluster, host=localhost, context=/cart><>" + attribute.name()
                    + ": 1";
            String exported = null;
            for (String[] r : rules) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^.*(?:" + r[0] + ").*$").matcher(input);
                if (m.matches()) {
                    assertThat(m.group(1)).isEqualTo("localhost");
                    assertThat(m.group(2)).isEqualTo("/cart");
                    exported = m.groupCount() >= 3 ? r[1].replace("$3", m.group(3)) : r[1];
                    break;
                }
            }
            if (attribute.type().equals("java.lang.String")) {
                assertThat(exported).as(attribute.name() + ": a string is not a metric").isNull();
            } else {
                assertThat(exported).as(attribute.name() + " is exported").isNotNull();
            }
        }
        String load = "io.sessioncluster<type=SessionCluster, host=h, context=/><>LockRenewalCount: 3";
        java.util.regex.Matcher calls = java.util.regex.Pattern.compile("^.*(?:" + rules.get(0)[0] + ").*$").matcher(load);
        assertThat(calls.matches()).isTrue();
        assertThat(calls.group(3)).as("the longest operation name").isEqualTo("LockRenewal");
    }

    /** docs/monitoring.md names every attribute, and no attribute that does not exist. */
    @Test
    void theMonitoringPageListsEveryAttribute() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "monitoring.md"));
        Set<String> documented = new java.util.TreeSet<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\| `([A-Za-z0-9]+)` \\|").matcher(page);
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> perOperation = new java.util.TreeSet<>();
        for (StoreOperation operation : StoreOperation.values()) {
            documented.remove(operation.jmxName()); // a row of the operation table
            assertThat(page).as("the operation table").contains("| `" + operation.jmxName() + "` | `" + operation.tag() + "` |");
            for (String suffix : Arrays.asList("Count", "Failures", "TimeMillis", "P50Millis", "P95Millis",
                    "P99Millis", "MaxMillis")) {
                perOperation.add(operation.jmxName() + suffix);
            }
        }
        Set<String> general = new java.util.TreeSet<>(StatisticsAttributes.all().keySet());
        general.removeAll(perOperation);
        assertThat(documented).as("the attribute table of docs/monitoring.md").isEqualTo(general);
        for (String suffix : Arrays.asList("Count", "Failures", "TimeMillis", "P50Millis", "P95Millis", "P99Millis",
                "MaxMillis")) {
            assertThat(page).contains("`<Op>" + suffix + "`");
        }
    }

    @Test
    void aUsersSessionsAreListedRedactedAndEndedThroughTheOperations() throws Exception {
        List<String> ended = new java.util.ArrayList<>();
        UserSessionsOperations users = new UserSessionsOperations(
                name -> name.equals("alice") ? Set.of("zzzzSecondSessionId0123456789ab", "aaaaFirstSessionId0123456789abcd")
                        : Set.of(),
                name -> {
                    ended.add(name);
                    return 2;
                });
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ObjectName name = new ObjectName("io.sessioncluster:type=SessionCluster,host=localhost,context=/app");
        server.registerMBean(new StatisticsMBean(this::statistics, "/app", users), name);

        String[] listed = (String[]) server.invoke(name, "sessionsOf", new Object[] {"alice"},
                new String[] {String.class.getName()});
        assertThat(listed).hasSize(2).allSatisfy(id -> assertThat(id).doesNotContain("SessionId0123456789"));
        assertThat(listed[0]).startsWith("aaaa");
        assertThat((String[]) server.invoke(name, "sessionsOf", new Object[] {"bob"},
                new String[] {String.class.getName()})).isEmpty();
        assertThat(server.invoke(name, "expireSessionsOf", new Object[] {"alice"},
                new String[] {String.class.getName()})).isEqualTo(2);
        assertThat(ended).containsExactly("alice");

        assertThat(server.getMBeanInfo(name).getOperations()).extracting(o -> o.getName())
                .containsExactlyInAnyOrder("sessionsOf", "expireSessionsOf");
        assertThatThrownBy(() -> server.invoke(name, "expireSessionsOf", new Object[] {42},
                new String[] {int.class.getName()})).isInstanceOf(javax.management.ReflectionException.class)
                .hasMessageContaining("expireSessionsOf(String principalName)");
        assertThatThrownBy(() -> server.invoke(name, "dropEverything", new Object[0], new String[0]))
                .isInstanceOf(javax.management.ReflectionException.class);
        assertThat(ended).as("a bad call ends nothing").containsExactly("alice");
    }
}
