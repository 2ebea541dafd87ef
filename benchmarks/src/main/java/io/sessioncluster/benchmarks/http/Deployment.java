package io.sessioncluster.benchmarks.http;

import java.util.ArrayList;
import java.util.List;

/** The running node(s) of one configuration, what the load generator talks to, and how to read their store. */
final class Deployment implements AutoCloseable {

    private final List<Node> nodes;
    private final StoreProbe probe;
    private final List<AutoCloseable> resources;

    Deployment(List<? extends Node> nodes, StoreProbe probe, List<AutoCloseable> resources) {
        this.nodes = List.copyOf(nodes);
        this.probe = probe;
        this.resources = List.copyOf(resources);
    }

    Deployment(List<? extends Node> nodes, StoreProbe probe) {
        this(nodes, probe, List.of());
    }

    List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        nodes.forEach(n -> ports.add(n.port()));
        return ports;
    }

    StoreProbe probe() {
        return probe;
    }

    /** Nodes first (they flush into their store), then what they used, in reverse order of creation. */
    @Override
    public void close() {
        for (Node node : nodes) {
            node.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("closing " + resources.get(i) + " failed: " + e);
            }
        }
    }
}
