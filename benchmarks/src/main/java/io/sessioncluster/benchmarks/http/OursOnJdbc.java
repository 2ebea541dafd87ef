package io.sessioncluster.benchmarks.http;

import io.sessioncluster.core.testing.ShopModel;
import io.sessioncluster.tomcat.ClusteredSessionManager;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Our {@link ClusteredSessionManager} with the JDBC store on the benchmark's PostgreSQL (a local server, database
 * {@code test}, user {@code postgres}, trust authentication), through the store's own HikariCP pool of default
 * size. Each run creates its own tables ({@code tableName} random, {@code createSchema=true}) and drops them when
 * it ends; {@link PostgresProbe} counts what the nodes sent.
 */
final class OursOnJdbc {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";

    private OursOnJdbc() {
    }

    static Scenario.Factory factory(boolean sticky, String writeMode, String... extra) {
        return env -> {
            String table = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            PostgresProbe probe = PostgresProbe.open(URL, USER, table); // before the nodes: its socket is not counted
            try {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("store", "jdbc");
                settings.put("jdbcUrl", URL);
                settings.put("jdbcUser", USER);
                settings.put("tableName", table);
                settings.put("createSchema", "true");
                settings.put("writeMode", writeMode);
                settings.put("sticky", Boolean.toString(sticky));
                settings.put("allowedClasses", ShopModel.class.getName());
                for (int i = 0; i + 1 < extra.length; i += 2) {
                    settings.put(extra[i], extra[i + 1]);
                }
                return new Deployment(TwoNodes.start(env, sticky, i -> (tomcat, context) -> {
                    ClusteredSessionManager manager = new ClusteredSessionManager();
                    settings.forEach(manager::setProperty);
                    context.setManager(manager);
                }), probe, java.util.List.of(probe));
            } catch (Exception | Error e) {
                probe.close();
                throw e;
            }
        };
    }
}
