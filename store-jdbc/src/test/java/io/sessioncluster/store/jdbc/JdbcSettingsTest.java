package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.ConfigException;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStoreProvider;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every configuration error of the jdbc store has a clear message, and no message shows a password. */
class JdbcSettingsTest {

    private final JdbcSessionStoreProvider provider = new JdbcSessionStoreProvider();

    @Test
    void defaults() {
        Settings settings = Settings.parse(JdbcSettings.ALL, Map.of());
        assertThat(settings.get(JdbcSettings.TABLE_NAME)).isEqualTo("session_cluster");
        assertThat(settings.get(JdbcSettings.DIALECT)).isEqualTo(DialectChoice.AUTO);
        assertThat(settings.get(JdbcSettings.CREATE_SCHEMA)).isFalse();
        assertThat(settings.get(JdbcSettings.TIMEOUT_MILLIS)).isEqualTo(5000);
        assertThat(provider.name()).isEqualTo("jdbc");
        assertThat(provider.settings()).contains(JdbcSettings.JDBC_PASSWORD);
        assertThat(JdbcSettings.JDBC_PASSWORD.isSecret()).isTrue();
        assertThat(JdbcSettings.JDBC_URL.isSecret()).isTrue();
    }

    @Test
    void badSingleValuesAreNamedWithWhatIsAllowed() {
        Map<String, String> raw = Map.of("tableName", "sessions; DROP TABLE users", "jdbcDialect", "oracle",
                "jdbcTimeoutMillis", "10", "jdbcPoolSize", "0", "createSchema", "yes", "evictionPollMillis", "x",
                "dataSourceName", "jdbc/my sessions");
        assertThatThrownBy(() -> Settings.parse(JdbcSettings.ALL, raw))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tableName [sessions; DROP TABLE users]: allowed are a letter, then up to 39 letters, digits or _")
                .hasMessageContaining("jdbcDialect [oracle]: allowed are auto, postgresql, mariadb, h2")
                .hasMessageContaining("jdbcTimeoutMillis [10]: allowed are an integer from 250 to 600000")
                .hasMessageContaining("jdbcPoolSize [0]")
                .hasMessageContaining("createSchema [yes]: allowed are true, false")
                .hasMessageContaining("evictionPollMillis [x]")
                .hasMessageContaining("dataSourceName [jdbc/my sessions]");
    }

    @Test
    void tableNamesLongerThanFortyCharactersAreRefused() {
        assertThatThrownBy(() -> Settings.parse(JdbcSettings.ALL, Map.of("tableName", "a".repeat(41))))
                .hasMessageContaining("tableName [" + "a".repeat(41) + "]");
        assertThat(Settings.parse(JdbcSettings.ALL, Map.of("tableName", "a".repeat(40))).get(JdbcSettings.TABLE_NAME))
                .hasSize(40);
    }

    @Test
    void aUrlThatIsNotJdbcIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> Settings.parse(JdbcSettings.ALL, Map.of("jdbcUrl", "postgresql://u:s3cret@db/app")))
                .hasMessageContaining("jdbcUrl [****]: allowed are empty, or a JDBC URL starting with jdbc:")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void neitherDataSourceNameNorUrl() {
        assertThatThrownBy(() -> open(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dataSourceName, jdbcUrl: set one of them");
    }

    @Test
    void theCombinationIsCheckedWithTheWholeConfigurationBeforeTheStoreOpens() {
        Map<String, SessionStoreProvider> providers = Map.of("jdbc", new JdbcSessionStoreProvider());
        assertThatThrownBy(() -> ClusterConfig.parse(Map.of("store", "jdbc", "writeMode", "often"), providers))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("writeMode [often]")
                .hasMessageContaining("dataSourceName, jdbcUrl: set one of them");
    }

    @Test
    void bothDataSourceNameAndUrlAndCredentialsWithJndi() {
        Map<String, String> raw = Map.of("dataSourceName", "jdbc/sessions",
                "jdbcUrl", "jdbc:postgresql://db/app?password=s3cret", "jdbcPassword", "s3cret");
        assertThatThrownBy(() -> open(raw))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dataSourceName [jdbc/sessions], jdbcUrl [****]: set only one of them")
                .hasMessageContaining("jdbcUser, jdbcPassword: only with jdbcUrl")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void anUnknownJndiNameFailsTheStartWithTheFullName() {
        assertThatThrownBy(() -> open(Map.of("dataSourceName", "jdbc/nowhere")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dataSourceName [jdbc/nowhere]: no JNDI resource [java:comp/env/jdbc/nowhere]");
    }

    @Test
    void aUrlWithoutDriverFailsTheStartWithoutShowingTheUrl() {
        Map<String, String> raw = Map.of("jdbcUrl", "jdbc:nosuchdb://h/db?password=s3cret", "jdbcPassword", "s3cret");
        assertThatThrownBy(() -> open(raw))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("jdbcUrl [****]: cannot create a connection pool")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void schemaResourcesExistForEveryDialectAndUseThePrefix() {
        Tables tables = new Tables("shop");
        for (DialectChoice choice : DialectChoice.values()) {
            if (choice != DialectChoice.AUTO) {
                assertThat(tables.ddl(Dialect.of(choice))).hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(ddl -> assertThat(ddl).contains("shop_").doesNotContain("${table}"));
            }
        }
        assertThat(Dialect.detect("PostgreSQL")).isInstanceOf(PostgresDialect.class);
        assertThat(Dialect.detect("MariaDB")).isInstanceOf(MariaDbDialect.class);
        assertThat(Dialect.detect("MySQL")).isInstanceOf(MariaDbDialect.class);
        assertThat(Dialect.detect("H2")).isInstanceOf(H2Dialect.class);
        assertThat(Dialect.detect("Oracle")).isNull();
    }

    private void open(Map<String, String> raw) {
        provider.open(Settings.parse(JdbcSettings.ALL, new HashMap<>(raw)), "/test").close();
    }
}
