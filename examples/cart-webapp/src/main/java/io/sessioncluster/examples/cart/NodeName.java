package io.sessioncluster.examples.cart;

import jakarta.servlet.http.HttpServletRequest;

/** Which node served a request: the {@code session-cluster.node} system property, else the local port. */
final class NodeName {

    private NodeName() {
    }

    static String of(HttpServletRequest request) {
        String name = System.getProperty("session-cluster.node");
        return name == null || name.isBlank() ? "port " + request.getLocalPort() : name;
    }
}
