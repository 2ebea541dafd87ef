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
            "jgroupsStack|tcp6|jgroupsStack [tcp6]: allowed are udp, tcp",
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
