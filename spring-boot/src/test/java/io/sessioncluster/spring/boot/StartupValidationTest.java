package io.sessioncluster.spring.boot;

import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A misconfigured {@code session-cluster.*} property stops the start of the application, before Tomcat starts, with
 * the manager's own message (the one {@code context.xml} gets) and the name of the property. None of these reach a
 * store, so no server is needed.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupValidationTest {

    @Test
    void aBadValueNamesTheSettingTheValueWhatIsAllowedAndTheProperty() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.write-mode=often"))
                .rootCause()
                .isInstanceOf(SessionClusterConfigurationException.class)
                .hasMessageContaining("Cannot start session clustering for context [/]")
                .hasMessageContaining("writeMode [often]")
                .hasMessageContaining("sync")
                .hasMessageContaining("(session-cluster.settings.write-mode)");
    }

    @Test
    void anUnknownSettingIsNamedWithItsProperty() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.redis-url=redis://127.0.0.1:6379"))
                .rootCause()
                .hasMessageContaining("redisUrl: unknown setting")
                .hasMessageContaining("(session-cluster.settings.redis-url)");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.max-attribute-bytes=lots",
                "--session-cluster.settings.keyPrefix=has space"))
                .rootCause()
                .hasMessageContaining("(session-cluster.settings.max-attribute-bytes)")
                .hasMessageContaining("(session-cluster.settings.keyPrefix)");
    }

    @Test
    void aMissingStoreNamesTheStoreProperty() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.settings.sticky=false"))
                .rootCause()
                .hasMessageContaining("store: required; allowed are redis")
                .hasMessageContaining("(session-cluster.store)");
    }

    @Test
    void anUnknownStoreNamesTheStoreProperty() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=memcached"))
                .rootCause()
                .hasMessageContaining("store [memcached]: allowed are redis")
                .hasMessageContaining("(session-cluster.store)");
    }

    @Test
    void aSecretIsMaskedInTheMessage() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.redis-uri=redis://user:hunter2@127.0.0.1:notaport"))
                .rootCause()
                .hasMessageContaining("(session-cluster.settings.redis-uri)")
                .message().doesNotContain("hunter2");
    }

    @Test
    void anUnknownPropertyUnderTheSessionClusterPrefixStopsTheStart() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.redis-uri=redis://127.0.0.1:6379"))
                .hasStackTraceContaining("session-cluster.redis-uri");
    }

    @Test
    void twoPropertiesForOneSettingAreRefused() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.key-prefix=a:", "--session-cluster.settings.keyPrefix=b:"))
                .rootCause()
                .hasMessageContaining("keyPrefix is already set by session-cluster.settings.");
    }

    @Test
    void theStoreCannotBeSetAmongTheSettings() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.store=jdbc"))
                .rootCause()
                .hasMessageContaining("session-cluster.settings.store: the store is chosen with session-cluster.store");
    }

    @Test
    void aBadRedisFromSpringDataRedisIsReportedAsSuch() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--spring.data.redis.host=bad host"))
                .rootCause()
                .hasMessageContaining("redisUri")
                .hasMessageContaining("(spring.data.redis.*)");
    }

    @Test
    void theJdbcStoreWithoutAnyUrlNamesTheSettings() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=jdbc"))
                .rootCause()
                .isInstanceOf(SessionClusterConfigurationException.class)
                .hasMessageContaining("Cannot start session clustering for context [/]")
                .hasMessageContaining("dataSourceName, jdbcUrl: set one of them (a JNDI DataSource name, or a JDBC URL)");
    }

    @Test
    void aSpringDataSourceIsNotReusedWhenTurnedOff() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=jdbc",
                "--session-cluster.reuse-spring-datasource=false", "--spring.datasource.url=jdbc:h2:mem:unused"))
                .rootCause()
                .hasMessageContaining("dataSourceName, jdbcUrl: set one of them");
    }

    @Test
    void aBadUrlFromSpringDatasourceIsReportedAsSuchWithoutItsSecrets() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=jdbc",
                "--spring.datasource.url=postgresql://app:hunter2@db/shop", "--spring.datasource.password=hunter3"))
                .rootCause()
                .hasMessageContaining("jdbcUrl [****]: allowed are empty, or a JDBC URL starting with jdbc:")
                .hasMessageContaining("(must start with jdbc:) (spring.datasource.*)")
                .message().doesNotContain("hunter2").doesNotContain("hunter3");
    }

    @Test
    void aBadManagerBaseValueIsReportedToo() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.process-expires-frequency=often"))
                .rootCause()
                .hasMessageContaining("processExpiresFrequency")
                .hasMessageContaining("(session-cluster.settings.process-expires-frequency)");
    }

    @Test
    void aRouteThatCannotEndASessionIdIsRefused() {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.jvm-route=node.1"))
                .rootCause()
                .hasMessageContaining("session-cluster.jvm-route [node.1]: 1 to 64 characters of A-Z a-z 0-9 _ -");
    }

    @Test
    void theFailureReportSaysWhatIsWrongAndWhereToFixIt(CapturedOutput output) {
        assertThatThrownBy(() -> TestApplication.start("--session-cluster.store=redis",
                "--session-cluster.settings.sticky=maybe"));
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("sticky [maybe]")
                .contains("(session-cluster.settings.sticky)")
                .contains("Correct the session-cluster.* properties named above");
    }

    @Test
    void settingsFromEnvironmentVariablesAreFound() {
        // SESSIONCLUSTER_SETTINGS_WRITEMODE binds as the map key "writemode": the name is still recognised.
        assertThatThrownBy(() -> TestApplication.start(Map.of("SESSIONCLUSTER_STORE", "redis",
                "SESSIONCLUSTER_SETTINGS_WRITEMODE", "often")))
                .rootCause()
                .hasMessageContaining("writeMode [often]: allowed are sync, async (session-cluster.settings.writemode)");
    }

    @Test
    void theTestSuitesRedisVariableIsNotTakenForAProperty() {
        // SESSION_CLUSTER_REDIS_URI (read by the ITs) must not bind as an unknown session-cluster.* property.
        assertThatThrownBy(() -> TestApplication.start(Map.of("SESSION_CLUSTER_REDIS_URI", "redis://127.0.0.1:6379",
                "SESSIONCLUSTER_STORE", "memcached")))
                .rootCause()
                .hasMessageContaining("store [memcached]: allowed are redis")
                .hasMessageEndingWith(" (session-cluster.store)");
    }

    @Test
    void disabledLeavesTomcatsManagerAndIgnoresTheSettings() {
        try (ConfigurableApplicationContext context = TestApplication.start("--session-cluster.enabled=false",
                "--session-cluster.store=memcached")) {
            assertThat(manager(context)).isInstanceOf(StandardManager.class);
            assertThat(context.getBeanNamesForType(SessionClusterManagers.class)).isEmpty();
        }
    }

    static Manager manager(ConfigurableApplicationContext context) {
        TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
        return ((org.apache.catalina.Context) server.getTomcat().getHost().findChildren()[0]).getManager();
    }
}
