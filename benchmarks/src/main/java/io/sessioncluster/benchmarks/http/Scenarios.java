package io.sessioncluster.benchmarks.http;

import java.util.List;

/**
 * Every configuration of the comparison, one declarative entry each: name, family, routing, how to start it. To
 * add a row, add an entry (and, for a new product, a small factory class like {@link OursOnRedis}).
 */
final class Scenarios {

    static final String BASELINE = "StandardManager (baseline)";
    static final String OURS = "session-cluster";

    private Scenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario(BASELINE, "baseline", true, Baseline.factory(),
                        "Tomcat's in-memory manager, no replication"),

                new Scenario("ours Redis sticky async", OURS, true, OursOnRedis.factory(true, "async"),
                        "writeMode=async sticky=true"),
                new Scenario("ours Redis sticky async, detectMutations=false", OURS, true,
                        OursOnRedis.factory(true, "async", "detectMutations", "false"),
                        "writeMode=async sticky=true detectMutations=false (only setAttribute is written)"),
                new Scenario("ours Redis sticky sync", OURS, true, OursOnRedis.factory(true, "sync"),
                        "writeMode=sync sticky=true"),
                // No "non-sticky async" rows, for any store: sticky=false with writeMode=async is a configuration
                // error (the next request reaches the other node before the write-behind), so they cannot start.
                new Scenario("ours Redis non-sticky sync", OURS, false, OursOnRedis.factory(false, "sync"),
                        "writeMode=sync sticky=false (locking=session by default)"),
                new Scenario("ours Redis non-sticky sync, locking=none", OURS, false,
                        OursOnRedis.factory(false, "sync", "locking", "none"),
                        "writeMode=sync sticky=false locking=none: what the lock costs"),

                new Scenario("ours JDBC (PostgreSQL) sticky async", OURS, true, OursOnJdbc.factory(true, "async"),
                        "writeMode=async sticky=true, local PostgreSQL, HikariCP pool of 10 per node"),
                new Scenario("ours JDBC (PostgreSQL) sticky sync", OURS, true, OursOnJdbc.factory(true, "sync"),
                        "writeMode=sync sticky=true"),
                new Scenario("ours JDBC (PostgreSQL) non-sticky sync", OURS, false, OursOnJdbc.factory(false, "sync"),
                        "writeMode=sync sticky=false (locking=session by default)"),
                new Scenario("ours JDBC (PostgreSQL) non-sticky sync, locking=none", OURS, false,
                        OursOnJdbc.factory(false, "sync", "locking", "none"), "writeMode=sync sticky=false locking=none"),

                new Scenario("ours JGroups all sticky async", OURS, true, OursOnJGroups.factory("all", true, "async"),
                        "replication=all writeMode=async sticky=true, UDP stack over loopback"),
                new Scenario("ours JGroups all sticky sync", OURS, true, OursOnJGroups.factory("all", true, "sync"),
                        "replication=all writeMode=sync sticky=true"),
                new Scenario("ours JGroups all non-sticky sync", OURS, false,
                        OursOnJGroups.factory("all", false, "sync"), "replication=all writeMode=sync sticky=false"),
                new Scenario("ours JGroups primary-backup sticky async", OURS, true,
                        OursOnJGroups.factory("primary-backup", true, "async"),
                        "replication=primary-backup (1 backup) writeMode=async sticky=true"),
                new Scenario("ours JGroups primary-backup sticky sync", OURS, true,
                        OursOnJGroups.factory("primary-backup", true, "sync"),
                        "replication=primary-backup writeMode=sync sticky=true"),
                new Scenario("ours JGroups primary-backup non-sticky sync", OURS, false,
                        OursOnJGroups.factory("primary-backup", false, "sync"),
                        "replication=primary-backup writeMode=sync sticky=false (locking=session by default)"),
                new Scenario("ours JGroups primary-backup non-sticky sync, locking=none", OURS, false,
                        OursOnJGroups.factory("primary-backup", false, "sync", "locking", "none"),
                        "replication=primary-backup writeMode=sync sticky=false locking=none"),

                new Scenario("Tomcat DeltaManager", "Tomcat HA", true, TomcatHa.delta(),
                        "SimpleTcpCluster, channelSendOptions=8 (async), static members over loopback"),
                new Scenario("Tomcat BackupManager", "Tomcat HA", true, TomcatHa.backup(),
                        "SimpleTcpCluster, channelSendOptions=8, default mapSendOptions"),

                new Scenario("Redisson readMode=REDIS non-sticky", "Redisson", false,
                        RedissonTomcat.factory("REDIS", false), "redisson-tomcat-10 defaults (REDIS read mode)"),
                new Scenario("Redisson readMode=MEMORY sticky", "Redisson", true,
                        RedissonTomcat.factory("MEMORY", true), "local copy, updates broadcast over pub/sub"),
                new Scenario("Redisson readMode=MEMORY sticky, broadcastSessionUpdates=false", "Redisson", true,
                        RedissonTomcat.factory("MEMORY", "DEFAULT", false, true),
                        "documented setting: no pub/sub of updates (sticky: a session's other node reads Redis)"),
                new Scenario("Redisson readMode=MEMORY updateMode=AFTER_REQUEST sticky", "Redisson", true,
                        RedissonTomcat.factory("MEMORY", "AFTER_REQUEST", true),
                        "documented for applications that change attributes in place: every attribute written after "
                                + "each request"),

                new Scenario("Spring Session Redis (Spring Boot)", "Spring Session", false, SpringSessionBoot.factory(),
                        "Spring Boot 4.1.2 application, spring-session-data-redis 4.1.0, Boot's defaults"));
    }

    static Scenario byId(String id) {
        return all().stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scenario with id " + id));
    }
}
