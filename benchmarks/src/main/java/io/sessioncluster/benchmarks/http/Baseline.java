package io.sessioncluster.benchmarks.http;

import org.apache.catalina.session.StandardManager;

/**
 * Tomcat's {@link StandardManager}: sessions in the memory of one node, nothing replicated. Two nodes behind a
 * sticky balancer, so the work per node is the same as in the clustered configurations.
 */
final class Baseline {

    private Baseline() {
    }

    static Scenario.Factory factory() {
        return env -> new Deployment(TwoNodes.start(env, true, i -> (tomcat, context) -> {
            StandardManager manager = new StandardManager();
            manager.setPathname(null); // no SESSIONS.ser at stop: nothing to measure there
            context.setManager(manager);
        }), StoreProbe.NONE);
    }
}
