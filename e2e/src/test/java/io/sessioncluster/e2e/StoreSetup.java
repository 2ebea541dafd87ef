package io.sessioncluster.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One store as an operator configures it: the attributes of the {@code <Manager>} element (those of
 * {@code examples/tomcat/}, pointed at the test's services and given names of their own so that runs never share
 * data), and what the nodes need besides.
 */
record StoreSetup(String name, Map<String, String> attributes, boolean needsJdbcDriver, StartOrder startOrder) {

    /** How the three nodes of a fresh cluster are started. */
    enum StartOrder {
        /** All at once. */
        TOGETHER,
        /**
         * The first alone (it creates the schema), then the others together: PostgreSQL may reject concurrent
         * {@code CREATE TABLE IF NOT EXISTS} of one table with a unique violation on {@code pg_type}.
         */
        FIRST_ALONE,
        /** One after the other: each joins the group the previous ones formed. */
        ONE_BY_ONE
    }

    static final String MANAGER = "io.sessioncluster.tomcat.ClusteredSessionManager";

    static StoreSetup redis() {
        String uri = System.getenv().getOrDefault("SESSION_CLUSTER_REDIS_URI", "redis://127.0.0.1:6379");
        return new StoreSetup("redis", attributes("store", "redis", "redisUri", uri,
                "keyPrefix", "e2e-" + unique() + ":"), false, StartOrder.TOGETHER);
    }

    static StoreSetup jdbc() {
        return new StoreSetup("jdbc", attributes("store", "jdbc", "jdbcUrl", Postgres.url(),
                "jdbcUser", Postgres.user(), "jdbcPassword", Postgres.password(),
                "tableName", "e2e_" + unique(), "createSchema", "true"), true, StartOrder.FIRST_ALONE);
    }

    static StoreSetup jgroups(String replication) {
        // A cluster name and multicast port of its own: other builds on the host may run JGroups too.
        // A generous join timeout: on a loaded two-core CI host a starting node may need more than the default 2 s (seen once in eight restarts)
        // to hear from the others, and would then start a cluster of its own.
        int multicastPort = ThreadLocalRandom.current().nextInt(20000, 60000);
        return new StoreSetup("jgroups-" + replication, attributes("store", "jgroups", "replication", replication,
                "clusterName", "e2e-" + unique(), "jgroupsBindPort", "0",
                "jgroupsMulticastPort", Integer.toString(multicastPort),
                "jgroupsJoinTimeoutMillis", "5000"), false, StartOrder.ONE_BY_ONE);
    }

    /** The {@code <Manager>} line of {@code conf/context.xml}. */
    String managerElement(boolean sticky) {
        StringBuilder element = new StringBuilder("<Manager className=\"" + MANAGER + "\"");
        attributes.forEach((key, value) -> element.append(' ').append(key).append("=\"")
                .append(value.replace("&", "&amp;").replace("\"", "&quot;")).append('"'));
        // No allowedClasses: the cart's own classes (WEB-INF/classes) are admitted by default.
        return element.append(" sticky=\"").append(sticky).append("\"/>").toString();
    }

    /**
     * The same store for another application of the same nodes, under a namespace of its own (key prefix, table
     * prefix or cluster name), as docs/behaviour.md ("Known limits") asks of an operator who runs several
     * applications on one store.
     */
    StoreSetup forApplication(String app) {
        Map<String, String> own = new LinkedHashMap<>(attributes);
        own.computeIfPresent("keyPrefix", (key, prefix) -> prefix + app + ":");
        own.computeIfPresent("tableName", (key, table) -> table + "_" + app);
        own.computeIfPresent("clusterName", (key, cluster) -> cluster + "-" + app);
        return new StoreSetup(name, own, needsJdbcDriver, startOrder);
    }

    /** This setup with more {@code <Manager>} attributes (name/value pairs). */
    StoreSetup with(String... pairs) {
        Map<String, String> more = new LinkedHashMap<>(attributes);
        more.putAll(attributes(pairs));
        return new StoreSetup(name, more, needsJdbcDriver, startOrder);
    }

    String tableName() {
        return attributes.get("tableName");
    }

    private static Map<String, String> attributes(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Override
    public String toString() {
        return name;
    }
}
