package io.sessioncluster.spring.boot;

import org.springframework.core.env.Environment;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A connection the application configured for Spring itself (its Redis, its database), whose settings a store reuses
 * when the {@code session-cluster.*} properties give it none of its own.
 *
 * @param store       the store that can reuse it
 * @param ownSettings the store's settings that each say where to connect: any of them given, nothing is reused
 * @param source      what the reused settings are reported as coming from, e.g. {@code spring.data.redis.*}
 * @param wanted      whether the properties allow the reuse ({@code session-cluster.reuse-spring-*})
 * @param settings    the store's settings for this connection, empty when the application configured none; asked
 *                    only when they would be used
 */
record SpringConnection(String store, Set<String> ownSettings, String source,
                        Predicate<SessionClusterProperties> wanted, Supplier<Map<String, String>> settings) {

    static SpringConnection redis(Supplier<Map<String, String>> settings) {
        return new SpringConnection("redis", Set.of("redisUri"), "spring.data.redis.*",
                SessionClusterProperties::reuseSpringRedis, settings);
    }

    static SpringConnection dataSource(Supplier<Map<String, String>> settings) {
        return new SpringConnection("jdbc", Set.of("jdbcUrl", "dataSourceName"), "spring.datasource.*",
                SessionClusterProperties::reuseSpringDatasource, settings);
    }

    /**
     * The connections to offer the stores: those built from Boot's connection details (only defined when the Boot
     * module that has them is on the class path), the others read from the {@code spring.*} properties.
     */
    static List<SpringConnection> withDefaults(Stream<SpringConnection> fromDetails, Environment environment) {
        List<SpringConnection> found = fromDetails.toList();
        return Stream.of(redis(new SpringRedisUri(environment)), dataSource(new SpringDataSourceSettings(environment)))
                .map(byProperties -> found.stream().filter(c -> c.store().equals(byProperties.store())).findFirst()
                        .orElse(byProperties))
                .toList();
    }

    /** The settings of {@code first}, or of {@code second} when {@code first} has none. */
    static Supplier<Map<String, String>> firstOf(Supplier<Map<String, String>> first, Supplier<Map<String, String>> second) {
        return () -> {
            Map<String, String> settings = first.get();
            return settings.isEmpty() ? second.get() : settings;
        };
    }
}
