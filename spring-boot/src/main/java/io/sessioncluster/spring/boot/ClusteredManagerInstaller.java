package io.sessioncluster.spring.boot;

import io.sessioncluster.tomcat.ClusteredSessionManager;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;

import java.util.Map;

/**
 * Gives the embedded Tomcat's context a {@link ClusteredSessionManager}, set up through
 * {@link ClusteredSessionManager#setProperty} exactly as {@code context.xml} would, and validates it right away: a bad
 * setting stops the application with the manager's own message (Tomcat, left alone, would only log that the context
 * failed to start). Free of Boot's Tomcat types, which moved between Boot 3 and 4: each auto-configuration hands
 * {@link #customize} to its Boot's {@code TomcatContextCustomizer}.
 */
final class ClusteredManagerInstaller {

    private final ResolvedSettings settings;
    private final String jvmRoute;
    private final SessionClusterManagers managers;

    ClusteredManagerInstaller(ResolvedSettings settings, String jvmRoute, SessionClusterManagers managers) {
        this.settings = settings;
        this.jvmRoute = jvmRoute;
        this.managers = managers;
    }

    void customize(Context context) {
        ClusteredSessionManager manager = new ClusteredSessionManager();
        for (Map.Entry<String, String> setting : settings.values().entrySet()) {
            manager.setProperty(setting.getKey(), setting.getValue());
        }
        context.setManager(manager);
        String problems = settings.problems().isEmpty() ? "" : "\n  - " + String.join("\n  - ", settings.problems());
        try {
            manager.validateSettings();
        } catch (LifecycleException e) {
            // The message is the whole story; the validation's stack trace would only bury it.
            throw new SessionClusterConfigurationException(settings.annotate(e.getMessage()) + problems);
        }
        if (!problems.isEmpty()) {
            throw new SessionClusterConfigurationException("Invalid session-cluster configuration:" + problems);
        }
        if (jvmRoute != null) {
            // The route belongs to the engine, which the context joins later: set it just before the context (and
            // so the manager, which reads it when it starts) starts.
            context.addLifecycleListener(event -> {
                if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                    Container c = context;
                    while (c != null && !(c instanceof Engine)) {
                        c = c.getParent();
                    }
                    if (c instanceof Engine engine) {
                        engine.setJvmRoute(jvmRoute);
                    }
                }
            });
        }
        managers.add(manager);
    }
}
