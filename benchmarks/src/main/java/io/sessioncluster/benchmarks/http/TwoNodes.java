package io.sessioncluster.benchmarks.http;

import java.util.ArrayList;
import java.util.List;

/** Starts the two nodes of a configuration, closing the first if the second fails. */
final class TwoNodes {

    /** Builds the setup of node {@code index} (0 or 1). */
    @FunctionalInterface
    interface PerNode {
        TomcatNode.Setup setup(int index) throws Exception;
    }

    private TwoNodes() {
    }

    /**
     * @param routes true: node {@code i} gets jvmRoute {@code node<i+1>} (sticky); false: no route
     */
    static List<TomcatNode> start(BenchEnv env, boolean routes, PerNode perNode) throws Exception {
        List<TomcatNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String name = "node" + (i + 1);
                nodes.add(TomcatNode.start(name, routes ? name : null, env, perNode.setup(i)));
            }
            return nodes;
        } catch (Exception | Error e) {
            nodes.forEach(TomcatNode::close);
            throw e;
        }
    }
}
