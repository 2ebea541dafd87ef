package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every setting's parsing and every configuration error message; no network needed. */
class JGroupsSettingsTest {

    private final SessionStoreProvider provider = new JGroupsSessionStoreProvider();

    private Settings parse(Map<String, String> raw) {
        return Settings.parse(provider.settings(), raw);
    }

    @Test
    void providerIsFoundByName() {
        assertThat(SessionStores.discover(getClass().getClassLoader()).get("jgroups"))
                .isInstanceOf(JGroupsSessionStoreProvider.class);
    }

    @Test
    void defaultsFormAClusterOnThisHost() throws Exception {
        Settings s = parse(Map.of());
        assertThat(s.get(JGroupsSettings.REPLICATION)).isEqualTo(Replication.ALL);
        assertThat(s.get(JGroupsSettings.BACKUPS)).isEqualTo(1);
        assertThat(s.get(JGroupsSettings.STACK)).isEqualTo(StackType.UDP);
        assertThat(s.get(JGroupsSettings.BIND_ADDRESS)).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(s.get(JGroupsSettings.CLUSTER_NAME_SETTING)).isEmpty();
        assertThat(s.get(JGroupsSettings.CONFIG)).isEmpty();
        assertThat(s.get(JGroupsSettings.SECRET)).isEmpty();
        assertThat(JGroupsSettings.SECRET.isSecret()).isTrue();
        assertThat(provider.settings()).allSatisfy(setting -> assertThat(setting.description()).isNotBlank());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "replication|everything|replication [everything]: allowed are all, primary-backup",
            "backups|9|backups [9]: allowed are an integer from 0 to 8",
            "clusterName|has space|clusterName [has space]: allowed are empty, or 1 to 100 characters",
            "jgroupsStack|tcp6|jgroupsStack [tcp6]: allowed are udp, tcp, dns, jdbc",
            "jgroupsDnsQuery|svc..cluster.local|jgroupsDnsQuery [svc..cluster.local]: allowed are empty, or DNS names"
                    + " separated by commas, e.g. session-cluster.shop.svc.cluster.local (not a DNS name: [svc..cluster.local])",
            "jgroupsDnsQuery|a.local,,b.local|jgroupsDnsQuery [a.local,,b.local]: allowed are empty, or DNS names"
                    + " separated by commas, e.g. session-cluster.shop.svc.cluster.local (not a DNS name: [])",
            "jgroupsDnsRecordType|AAAA|jgroupsDnsRecordType [AAAA]: allowed are A, SRV",
            "jgroupsDnsAddress|10.96.0.10:99999|jgroupsDnsAddress [10.96.0.10:99999]: allowed are empty, or host or"
                    + " host:port of a DNS server, e.g. 10.96.0.10 or 127.0.0.1:5353 (port 99999 is not from 1 to 65535)",
            "jgroupsDnsAddress|dns://10.96.0.10|jgroupsDnsAddress [dns://10.96.0.10]: allowed are empty, or host or"
                    + " host:port of a DNS server",
            "jgroupsJdbcTable|members; DROP TABLE x|jgroupsJdbcTable [members; DROP TABLE x]: allowed are a letter or _,"
                    + " then up to 62 letters, digits or _; optionally schema.table",
            "jgroupsBindAddress|no.such.host.invalid|jgroupsBindAddress [no.such.host.invalid]: allowed are an IP address"
                    + " of this host, or one of site_local",
            "jgroupsMulticastAddress|10.0.0.1|jgroupsMulticastAddress [10.0.0.1]: allowed are an IPv4 multicast address"
                    + " (224.0.0.0 to 239.255.255.255) (not a multicast address)",
            "jgroupsInitialHosts|hostA:7800|jgroupsInitialHosts [hostA:7800]: allowed are empty, or host[port],host[port],...",
            "jgroupsConfig|/no/such/stack.xml|jgroupsConfig [/no/such/stack.xml]: allowed are empty, or the path of a"
                    + " readable JGroups XML stack file (not a readable file)",
            "jgroupsTimeoutMillis|0|jgroupsTimeoutMillis [0]: allowed are an integer from 50 to 600000",
            "tombstoneSeconds|-1|tombstoneSeconds [-1]: allowed are an integer from 1 to 604800",
    })
    void badValuesAreNamedWithWhatIsAllowed(String name, String value, String message) {
        assertThatThrownBy(() -> parse(Map.of(name, value))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aShortSecretIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> parse(Map.of("jgroupsSecret", "tooshort")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jgroupsSecret [****]: allowed are empty, or a shared secret of at least 16 characters")
                .hasMessageNotContaining("tooshort");
    }

    @Test
    void aJdbcUrlThatIsNotOneIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> parse(Map.of("jgroupsJdbcUrl", "postgresql://db/app?password=hunter2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jgroupsJdbcUrl [****]: allowed are empty, or a JDBC URL starting with jdbc:,"
                        + " e.g. jdbc:postgresql://db:5432/app (must start with jdbc:)")
                .hasMessageNotContaining("hunter2");
        assertThat(JGroupsSettings.JDBC_PASSWORD.isSecret()).isTrue();
    }

    @Test
    void discoverySettingsParse() {
        Settings s = parse(Map.of("jgroupsStack", "dns", "jgroupsDnsQuery", "session-cluster.shop.svc.cluster.local,"
                        + " _jgroups._tcp.other.svc.cluster.local.", "jgroupsDnsRecordType", "srv",
                "jgroupsDnsAddress", "127.0.0.1:5353"));
        assertThat(s.get(JGroupsSettings.STACK)).isEqualTo(StackType.DNS);
        assertThat(s.get(JGroupsSettings.DNS_QUERY))
                .isEqualTo("session-cluster.shop.svc.cluster.local,_jgroups._tcp.other.svc.cluster.local.");
        assertThat(s.get(JGroupsSettings.DNS_RECORD_TYPE)).isEqualTo(DnsRecordType.SRV);
        Settings defaults = parse(Map.of());
        assertThat(defaults.get(JGroupsSettings.DNS_RECORD_TYPE)).isEqualTo(DnsRecordType.A);
        assertThat(defaults.get(JGroupsSettings.DNS_ADDRESS)).isEmpty();
        assertThat(defaults.get(JGroupsSettings.JDBC_TABLE)).isEqualTo("jgroups");
        assertThat(parse(Map.of("jgroupsJdbcTable", "ops.jgroups_ping")).get(JGroupsSettings.JDBC_TABLE))
                .isEqualTo("ops.jgroups_ping");
    }

    @Test
    void theDiscoveryProtocolsCarryTheSettings() throws Exception {
        JGroupsStack dns = JGroupsStack.from(parse(Map.of("jgroupsStack", "dns", "jgroupsBindPort", "7800",
                "jgroupsDnsQuery", "sc.shop.svc.cluster.local", "jgroupsDnsRecordType", "SRV",
                "jgroupsDnsAddress", "10.96.0.10")));
        org.jgroups.protocols.dns.DNS_PING ping = (org.jgroups.protocols.dns.DNS_PING) dns.protocols("c").get(1);
        assertThat(ping.getDNSQuery()).isEqualTo("sc.shop.svc.cluster.local");
        assertThat(ping.dnsRecordType()).isEqualTo("SRV");
        assertThat(ping.getDNSAddress()).isEqualTo("10.96.0.10");
        assertThat(dns.protocols("c").get(0)).isInstanceOf(org.jgroups.protocols.TCP.class);

        JGroupsStack jdbc = JGroupsStack.from(parse(Map.of("jgroupsStack", "jdbc", "jgroupsJdbcTable", "members",
                "jgroupsJdbcUrl", "jdbc:postgresql://db/app", "jgroupsJdbcUser", "app",
                "jgroupsJdbcPassword", "hunter2")));
        org.jgroups.protocols.JDBC_PING2 table = (org.jgroups.protocols.JDBC_PING2) jdbc.protocols("c").get(1);
        assertThat(table.getSelectAllPingdataSql()).isEqualTo("SELECT address, name, ip, coord FROM members WHERE cluster=?");
        assertThat(table.getConnectionPassword()).isNull(); // only inside the data source
        assertThat((Object) table.getValue("remove_all_data_on_view_change")).isEqualTo(true);
        assertThat((Object) table.getValue("write_data_on_find")).isEqualTo(true);
        assertThat(jdbc.toString() + jdbc.jdbc() + table.getDataSource()).doesNotContain("hunter2").doesNotContain("db/app");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jgroupsStack=dns,jgroupsBindPort=0,jgroupsDnsQuery=sc.local|jgroupsBindPort [0]: the dns stack needs a known"
                    + " port, which members probe on every address jgroupsDnsQuery lists",
            "jgroupsStack=dns|jgroupsDnsQuery: required with jgroupsStack [dns]; allowed are DNS names separated by"
                    + " commas, e.g. session-cluster.shop.svc.cluster.local",
            "jgroupsStack=jdbc|jgroupsJdbcUrl: required with jgroupsStack [jdbc]; allowed are a JDBC URL starting with"
                    + " jdbc:, e.g. jdbc:postgresql://db:5432/app",
            "jgroupsDnsQuery=sc.shop.svc.cluster.local|jgroupsDnsQuery [sc.shop.svc.cluster.local]: used only with"
                    + " jgroupsStack [dns], not with jgroupsStack [udp]",
            "jgroupsStack=tcp,jgroupsDnsAddress=10.96.0.10|jgroupsDnsAddress [10.96.0.10]: used only with"
                    + " jgroupsStack [dns], not with jgroupsStack [tcp]",
            "jgroupsStack=dns,jgroupsDnsQuery=sc.local,jgroupsJdbcUrl=jdbc:h2:mem:x|jgroupsJdbcUrl [****]: used only"
                    + " with jgroupsStack [jdbc], not with jgroupsStack [dns]",
            "jgroupsJdbcUser=app|jgroupsJdbcUser [app]: used only with jgroupsStack [jdbc], not with jgroupsStack [udp]",
    })
    void discoveryCombinationsNoSingleSettingCanCheck(String settings, String message) {
        Map<String, String> raw = new java.util.HashMap<>();
        for (String pair : settings.split(",")) {
            raw.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Settings parsed = parse(raw);
        assertThat(provider.problems(parsed)).anySatisfy(problem -> assertThat(problem).isEqualTo(message));
        assertThatThrownBy(() -> JGroupsSessionStoreProvider.checkCombination(parsed))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void aJdbcPasswordTheStackIgnoresIsNamedButNotShown(@TempDir Path dir) throws Exception {
        Path stack = java.nio.file.Files.writeString(dir.resolve("stack.xml"), "<config/>");
        assertThat(provider.problems(parse(Map.of("jgroupsConfig", stack.toString(), "jgroupsJdbcPassword", "hunter2"))))
                .containsExactly("jgroupsJdbcPassword [****]: used only with jgroupsStack [jdbc], not with jgroupsConfig");
        assertThat(provider.problems(parse(Map.of("jgroupsStack", "jdbc", "jgroupsJdbcUrl", "jdbc:h2:mem:x",
                "jgroupsJdbcPassword", "hunter2", "jgroupsBindPort", "0")))).isEmpty();
    }

    @Test
    void goodValuesParse() {
        Settings s = parse(Map.of("replication", "primary-backup", "backups", "2", "jgroupsStack", "tcp",
                "jgroupsInitialHosts", "10.0.0.1[7800], node2[7801]", "jgroupsMulticastAddress", "239.1.2.3",
                "clusterName", "shop/prod:1"));
        assertThat(s.get(JGroupsSettings.REPLICATION)).isEqualTo(Replication.PRIMARY_BACKUP);
        assertThat(s.get(JGroupsSettings.INITIAL_HOSTS)).isEqualTo("10.0.0.1[7800],node2[7801]");
    }

    @Test
    void combinationsNoSingleSettingCanCheck(@TempDir Path dir) throws Exception {
        Path stack = java.nio.file.Files.writeString(dir.resolve("stack.xml"), "<config/>");
        assertThatThrownBy(() -> JGroupsSessionStoreProvider.checkCombination(
                parse(Map.of("jgroupsStack", "tcp", "jgroupsBindPort", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jgroupsBindPort [0]: the tcp stack needs a known port");
        assertThatThrownBy(() -> JGroupsSessionStoreProvider.checkCombination(
                parse(Map.of("jgroupsConfig", stack.toString(), "jgroupsSecret", "a secret that is long enough"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jgroupsSecret [****]: not used with jgroupsConfig")
                .hasMessageNotContaining("long enough");
    }
}
