package io.sessioncluster.spring.boot;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class ResolvedSettingsTest {

    private static final List<SpringConnection> NO_SPRING_REDIS = List.of();

    /** {@code reuse} turns both Spring reuses on or off. */
    private static SessionClusterProperties props(String store, Map<String, String> settings, boolean reuse) {
        return new SessionClusterProperties(true, store, settings, reuse, reuse, Duration.ofSeconds(2), null);
    }

    private static List<SpringConnection> redis(Supplier<Map<String, String>> settings) {
        return List.of(SpringConnection.redis(settings));
    }

    private static List<SpringConnection> dataSource(Supplier<Map<String, String>> settings) {
        return List.of(SpringConnection.redis(() -> Map.of("redisUri", "redis://not-for-jdbc")),
                SpringConnection.dataSource(settings));
    }

    @Test
    void kebabCaseNamesBecomeTheContextXmlAttributeNames() {
        assertThat(ResolvedSettings.attributeName("redis-uri")).isEqualTo("redisUri");
        assertThat(ResolvedSettings.attributeName("max-attribute-bytes")).isEqualTo("maxAttributeBytes");
        assertThat(ResolvedSettings.attributeName("redisUri")).isEqualTo("redisUri");
        assertThat(ResolvedSettings.attributeName("key_prefix")).isEqualTo("keyPrefix");
        assertThat(ResolvedSettings.attributeName("redis.uri")).isEqualTo("redisUri");
    }

    @Test
    void namesThatLostTheirCaseInAnEnvironmentVariableGetItBack() {
        ResolvedSettings s = ResolvedSettings.resolve(props("redis", Map.of("redisuri", "redis://x", "maxactivesessions", "5",
                "nosuchthing", "1"), true), NO_SPRING_REDIS, KnownSettingNames.find());
        assertThat(s.values()).containsEntry("redisUri", "redis://x").containsEntry("maxActiveSessions", "5")
                .containsEntry("nosuchthing", "1"); // left for the manager to report as unknown
        assertThat(s.source("redisUri")).isEqualTo("session-cluster.settings.redisuri");
    }

    @Test
    void theStoreComesFirstAndEachSettingRemembersItsProperty() {
        ResolvedSettings s = ResolvedSettings.resolve(props("redis", Map.of("write-mode", "async"), true), NO_SPRING_REDIS);
        assertThat(s.values()).containsExactly(Map.entry("store", "redis"), Map.entry("writeMode", "async"));
        assertThat(s.source("writeMode")).isEqualTo("session-cluster.settings.write-mode");
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void springRedisIsUsedOnlyForTheRedisStoreWithoutItsOwnUri() {
        List<SpringConnection> spring = redis(() -> Map.of("redisUri", "redis://spring:6379"));
        assertThat(ResolvedSettings.resolve(props("redis", Map.of(), true), spring).values())
                .containsEntry("redisUri", "redis://spring:6379");
        assertThat(ResolvedSettings.resolve(props("redis", Map.of("redis-uri", "redis://own:6379"), true), spring)
                .values()).containsEntry("redisUri", "redis://own:6379");
        assertThat(ResolvedSettings.resolve(props("redis", Map.of(), false), spring).values())
                .doesNotContainKey("redisUri");
        AtomicInteger asked = new AtomicInteger();
        assertThat(ResolvedSettings.resolve(props("jgroups", Map.of(), true), redis(() -> {
            asked.incrementAndGet();
            return Map.of("redisUri", "x");
        })).values()).doesNotContainKey("redisUri");
        assertThat(asked).hasValue(0);
    }

    @Test
    void aClusterFromSpringKeepsAnExplicitRedisClusterSetting() {
        List<SpringConnection> spring = redis(() -> Map.of("redisUri", "redis://a:1,b:2", "redisCluster", "true"));
        ResolvedSettings s = ResolvedSettings.resolve(props("redis", Map.of("redis-cluster", "false"), true), spring);
        assertThat(s.values()).containsEntry("redisCluster", "false").containsEntry("redisUri", "redis://a:1,b:2");
        assertThat(s.source("redisUri")).isEqualTo("spring.data.redis.*");
    }

    @Test
    void theSpringDataSourceIsUsedOnlyForTheJdbcStoreWithoutItsOwnUrlOrJndiName() {
        List<SpringConnection> spring = dataSource(() -> Map.of("jdbcUrl", "jdbc:postgresql://db/app",
                "jdbcUser", "app", "jdbcPassword", "secret"));
        ResolvedSettings reused = ResolvedSettings.resolve(props("jdbc", Map.of("table-name", "shop"), true), spring);
        assertThat(reused.values()).containsEntry("jdbcUrl", "jdbc:postgresql://db/app").containsEntry("jdbcUser", "app")
                .containsEntry("jdbcPassword", "secret").containsEntry("tableName", "shop").doesNotContainKey("redisUri");
        assertThat(reused.source("jdbcUrl")).isEqualTo("spring.datasource.*");
        assertThat(reused.source("jdbcPassword")).isEqualTo("spring.datasource.*");

        assertThat(ResolvedSettings.resolve(props("jdbc", Map.of("jdbc-url", "jdbc:h2:mem:own"), true), spring).values())
                .containsExactly(Map.entry("store", "jdbc"), Map.entry("jdbcUrl", "jdbc:h2:mem:own"));
        assertThat(ResolvedSettings.resolve(props("jdbc", Map.of("data-source-name", "jdbc/sessions"), true), spring)
                .values()).containsOnlyKeys("store", "dataSourceName");
        assertThat(ResolvedSettings.resolve(props("jdbc", Map.of(), false), spring).values()).containsOnlyKeys("store");
        assertThat(ResolvedSettings.resolve(props("redis", Map.of(), true), spring).values())
                .containsEntry("redisUri", "redis://not-for-jdbc").doesNotContainKey("jdbcUrl");
    }

    @Test
    void eachSpringReuseHasItsOwnSwitch() {
        List<SpringConnection> spring = dataSource(() -> Map.of("jdbcUrl", "jdbc:postgresql://db/app"));
        SessionClusterProperties noRedisReuse = new SessionClusterProperties(true, "jdbc", Map.of(), false, true,
                Duration.ofSeconds(2), null);
        assertThat(ResolvedSettings.resolve(noRedisReuse, spring).values()).containsEntry("jdbcUrl", "jdbc:postgresql://db/app");
        SessionClusterProperties noJdbcReuse = new SessionClusterProperties(true, "jdbc", Map.of(), true, false,
                Duration.ofSeconds(2), null);
        assertThat(ResolvedSettings.resolve(noJdbcReuse, spring).values()).doesNotContainKey("jdbcUrl");
    }

    @Test
    void anExplicitUserWinsOverTheSpringDataSources() {
        List<SpringConnection> spring = dataSource(() -> Map.of("jdbcUrl", "jdbc:postgresql://db/app",
                "jdbcUser", "app", "jdbcPassword", "secret"));
        ResolvedSettings s = ResolvedSettings.resolve(props("jdbc", Map.of("jdbc-user", "sessions"), true), spring);
        assertThat(s.values()).containsEntry("jdbcUser", "sessions").containsEntry("jdbcUrl", "jdbc:postgresql://db/app");
        assertThat(s.source("jdbcUser")).isEqualTo("session-cluster.settings.jdbc-user");
        assertThat(s.annotate("Cannot start:\n  - jdbcUrl [****]: no driver")).endsWith("(spring.datasource.*)");
    }

    @Test
    void problemLinesOfTheManagerNameTheirProperty() {
        ResolvedSettings s = ResolvedSettings.resolve(props("redis", Map.of("write-mode", "x"), true), NO_SPRING_REDIS);
        String annotated = s.annotate("Cannot start:\n  - writeMode [x]: allowed are sync, async\n  - other: y");
        assertThat(annotated).isEqualTo(
                "Cannot start:\n  - writeMode [x]: allowed are sync, async (session-cluster.settings.write-mode)\n  - other: y");
    }
}
