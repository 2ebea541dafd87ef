package io.sessioncluster.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid configuration into Boot's start-up report: what is wrong, and where to fix it. */
final class SessionClusterFailureAnalyzer extends AbstractFailureAnalyzer<SessionClusterConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SessionClusterConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the session-cluster.* properties named above (see the settings reference of session-cluster,"
                        + " docs/configuration.md), or set session-cluster.enabled=false to keep Tomcat's own session"
                        + " manager.",
                cause);
    }
}
