package io.sessioncluster.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Three Tomcat nodes ({@code node1..node3}) of one distribution behind HAProxy, as an operator would set them up. */
final class Cluster implements AutoCloseable {

    static final String LOGIN_APP = "login";

    final List<TomcatNode> nodes;
    final LoadBalancer balancer;
    private final StoreSetup store;

    private Cluster(List<TomcatNode> nodes, LoadBalancer balancer, StoreSetup store) {
        this.nodes = nodes;
        this.balancer = balancer;
        this.store = store;
    }

    static Cluster start(Path tomcatHome, Path dir, StoreSetup store, boolean sticky) {
        return start(tomcatHome, dir, store, sticky, (node, index) -> { });
    }

    /** What a test adds to a node before its first start (an application, a shifted clock). */
    interface NodeSetup {
        void prepare(TomcatNode node, int index);
    }

    /**
     * As {@link #start(Path, Path, StoreSetup, boolean)}, with {@code setup} applied to each node (index 0 to 2)
     * before it starts; an application it adds under {@link StoreSetup#forApplication} gets its tables dropped too.
     */
    static Cluster start(Path tomcatHome, Path dir, StoreSetup store, boolean sticky, NodeSetup setup) {
        Path parts = Path.of(System.getProperty("e2e.dir"));
        List<Path> libs = new ArrayList<>(List.of(parts.resolve("session-cluster-tomcat.jar")));
        if (store.needsJdbcDriver()) {
            libs.add(parts.resolve("postgresql.jar"));
        }
        List<TomcatNode> nodes = new ArrayList<>();
        try {
            deleteTree(dir); // the previous run's instances, kept until now for their logs
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path loginWar = LoginWar.build(parts);
        for (int i = 1; i <= 3; i++) {
            TomcatNode node = TomcatNode.create(tomcatHome, dir.resolve("node" + i), "node" + i,
                    store.managerElement(sticky), store.forApplication(LOGIN_APP).managerElement(sticky), libs,
                    parts.resolve("cart.war"), loginWar);
            setup.prepare(node, i - 1);
            nodes.add(node);
        }
        Cluster cluster = new Cluster(nodes, null, store);
        try {
            switch (store.startOrder()) {
                case ONE_BY_ONE -> {
                    for (TomcatNode node : nodes) {
                        node.start();
                        checkJoined(node, nodes.indexOf(node) + 1);
                    }
                }
                case FIRST_ALONE -> {
                    nodes.get(0).start();
                    startTogether(nodes.subList(1, nodes.size()));
                }
                case TOGETHER -> startTogether(nodes);
            }
            return new Cluster(nodes, LoadBalancer.start(dir, sticky, nodes), store);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts a node that was stopped or killed; a JGroups node must have joined all the running ones. */
    void restart(TomcatNode node) {
        node.start();
        if (store.startOrder() == StoreSetup.StartOrder.ONE_BY_ONE) {
            checkJoined(node, (int) nodes.stream().filter(TomcatNode::isRunning).count());
        }
        balancer.awaitStatus(node, "UP");
    }

    /**
     * A JGroups node that found no members within {@code jgroupsJoinTimeoutMillis} starts a cluster of its own and
     * serves none of the others' sessions until MERGE3 merges it back. Every context's channel of the node (each has
     * a cluster of its own) must reach the expected size, by its join or by a later merge within the merge interval:
     * a readiness check, as a probe in production would wait. A context still short of it fails the test.
     */
    private static void checkJoined(TomcatNode node, int expected) {
        Map<String, Integer> sizes = node.jgroupsViewSizes();
        if (sizes.values().stream().allMatch(size -> size == expected)) {
            return;
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(45);
        while (System.nanoTime() - deadline < 0) {
            sizes = node.jgroupsViewSizes();
            if (sizes.values().stream().allMatch(size -> size == expected)) {
                System.err.println("[e2e] " + node.route + " started apart and was merged back: " + sizes);
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError(node.route + " JGroups views per cluster " + sizes + ", expected " + expected
                + " members each");
    }

    private static void startTogether(List<TomcatNode> nodes) {
        CompletableFuture.allOf(nodes.stream().map(node -> CompletableFuture.runAsync(node::start))
                .toArray(CompletableFuture[]::new)).join();
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    TomcatNode node(String route) {
        return nodes.stream().filter(node -> node.route.equals(route)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + route));
    }

    Browser browser() {
        return new Browser(balancer.port);
    }

    /** Node logs, for an assertion message. */
    String logs() {
        StringBuilder all = new StringBuilder();
        for (TomcatNode node : nodes) {
            String log = node.log();
            all.append("---- ").append(node.route).append(" (last 4000 chars)\n")
                    .append(log, Math.max(0, log.length() - 4000), log.length());
        }
        return all.toString();
    }

    @Override
    public void close() {
        if (balancer != null) {
            balancer.close();
        }
        for (TomcatNode node : nodes) {
            if (node.isRunning()) {
                node.kill();
            }
        }
        if (store.tableName() != null) {
            Postgres.dropTables(store.tableName());
            Postgres.dropTables(store.forApplication(LOGIN_APP).tableName());
            Postgres.dropTables(store.forApplication(LedgerWar.APP).tableName());
        }
    }
}
