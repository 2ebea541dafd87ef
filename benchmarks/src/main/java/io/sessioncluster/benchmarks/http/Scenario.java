package io.sessioncluster.benchmarks.http;

/**
 * One configuration of the comparison: a name (its row in the table), how the load is routed, and how to start
 * its node(s). A scenario without a factory is a row still to fill (its store is not there yet).
 *
 * @param name     the row's name, also what {@code --only} matches
 * @param family   the row's group in the table and the chart (baseline, ours, Tomcat, Redisson, Spring Session)
 * @param sticky   true: each virtual user stays on one node; false: it alternates between the nodes
 * @param factory  starts the nodes; null for a pending row
 * @param note     what to know when reading the row (settings, why pending)
 */
record Scenario(String name, String family, boolean sticky, Factory factory, String note) {

    @FunctionalInterface
    interface Factory {
        Deployment start(BenchEnv env) throws Exception;
    }

    static Scenario pending(String name, String family, boolean sticky, String why) {
        return new Scenario(name, family, sticky, null, why);
    }

    boolean isPending() {
        return factory == null;
    }

    /** A file-system and command-line friendly id: lower case, dashes. */
    String id() {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
