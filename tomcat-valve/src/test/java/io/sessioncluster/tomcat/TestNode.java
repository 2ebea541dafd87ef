package io.sessioncluster.tomcat;

import jakarta.servlet.http.HttpSessionListener;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Valve;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One embedded Tomcat node: its own base directory, port 0, {@code jvmRoute}, and one root context whose
 * {@link ClusteredSessionManager} is configured through {@code setProperty}, the way the digester does it.
 */
final class TestNode implements AutoCloseable {

    private final String name;
    private final Tomcat tomcat;
    private final Context context;
    private final ClusteredSessionManager manager;
    private final Path baseDir;
    private final int port;

    private TestNode(String name, Tomcat tomcat, Context context, ClusteredSessionManager manager, Path baseDir) {
        this.name = name;
        this.tomcat = tomcat;
        this.context = context;
        this.manager = manager;
        this.baseDir = baseDir;
        this.port = tomcat.getConnector().getLocalPort();
    }

    /** The manager of the context at {@code path} (the root's, or one added with {@link Builder#context}). */
    ClusteredSessionManager manager(String path) {
        Context found = (Context) tomcat.getHost().findChild(path);
        if (found == null) {
            throw new IllegalArgumentException("no context " + path + " on " + this);
        }
        return (ClusteredSessionManager) found.getManager();
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    Context context() {
        return context;
    }

    ClusteredSessionManager manager() {
        return manager;
    }

    boolean isAvailable() {
        return context.getState() == LifecycleState.STARTED;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteTree(baseDir);
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (port " + port + ")";
    }

    static final class Builder {
        private final String name;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private String jvmRoute;
        private String hostName;
        private ClassLoader parentLoader;
        private HttpSessionListener listener;
        private final List<ContextResource> resources = new ArrayList<>();
        private final List<Consumer<Context>> configurers = new ArrayList<>();
        private final Map<String, Map<String, String>> extraContextSettings = new LinkedHashMap<>();
        private final Map<String, Consumer<Context>> extraContexts = new LinkedHashMap<>();
        private final List<Valve> hostValves = new ArrayList<>();
        private boolean managerApplication;

        private Builder(String name) {
            this.name = name;
            this.jvmRoute = name;
        }

        Builder settings(Map<String, String> values) {
            settings.putAll(values);
            return this;
        }

        Builder set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /**
         * The name of the node's host (default {@code localhost}, the engine's default host either way): nodes of one
         * test in one JVM need distinct names for distinct statistics MBeans (their names carry host and context).
         */
        Builder hostName(String name) {
            hostName = name;
            return this;
        }

        /** No route: session ids without suffix, as behind a non-sticky balancer. */
        Builder noRoute() {
            jvmRoute = null;
            return this;
        }

        Builder parentLoader(ClassLoader loader) {
            parentLoader = loader;
            return this;
        }

        /** A {@code <Resource>} of the context, found through Tomcat's naming (enabled for this node). */
        Builder resource(ContextResource resource) {
            resources.add(resource);
            return this;
        }

        /** Configures the context further before it starts (after its manager joined it). */
        Builder configure(Consumer<Context> configurer) {
            configurers.add(configurer);
            return this;
        }

        /**
         * A further context at {@code path} with a {@link ClusteredSessionManager} of its own, configured with
         * {@code managerSettings} (give it a store namespace of its own: contexts sharing one would claim each other's
         * expired sessions), then by {@code configurer}.
         */
        Builder context(String path, Map<String, String> managerSettings, Consumer<Context> configurer) {
            extraContextSettings.put(path, managerSettings);
            extraContexts.put(path, configurer);
            return this;
        }

        /** A valve of the host, such as a single sign-on valve, started with the node. */
        Builder hostValve(Valve valve) {
            hostValves.add(valve);
            return this;
        }

        /**
         * Tomcat's manager application's text interface ({@code ManagerServlet}) at {@code /manager/text/*}, in a
         * privileged context of its own, without a login: the servlet Tomcat ships, reading the node's managers.
         */
        Builder managerApplication() {
            managerApplication = true;
            return this;
        }

        Builder listener(HttpSessionListener sessionListener) {
            listener = sessionListener;
            return this;
        }

        TestNode start() {
            Path base;
            try {
                base = Files.createTempDirectory("sc-node-" + name + "-");
                Files.createDirectories(base.resolve("webapp"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(base.toString());
            tomcat.setPort(0);
            if (hostName != null) {
                tomcat.setHostname(hostName);
            }
            tomcat.getConnector();
            tomcat.getHost().setAutoDeploy(false);
            if (jvmRoute != null) {
                tomcat.getEngine().setJvmRoute(jvmRoute);
            }
            if (!resources.isEmpty()) {
                tomcat.enableNaming();
            }
            Context context = tomcat.addContext("", base.resolve("webapp").toString());
            resources.forEach(context.getNamingResources()::addResource);
            if (parentLoader != null) {
                context.setParentClassLoader(parentLoader);
            }
            context.setBackgroundProcessorDelay(1);
            ClusteredSessionManager manager = new ClusteredSessionManager();
            manager.setProcessExpiresFrequency(1);
            settings.forEach(manager::setProperty);
            context.setManager(manager);
            Wrapper servlet = Tomcat.addServlet(context, "test", new TestServlet());
            servlet.setAsyncSupported(true);
            servlet.addMapping("/s");
            configurers.forEach(c -> c.accept(context));
            hostValves.forEach(tomcat.getHost().getPipeline()::addValve);
            extraContexts.forEach((path, configurer) -> {
                Context extra = tomcat.addContext(path, base.resolve("webapp").toString());
                extra.setBackgroundProcessorDelay(1);
                ClusteredSessionManager extraManager = new ClusteredSessionManager();
                extraManager.setProcessExpiresFrequency(1);
                extraContextSettings.get(path).forEach(extraManager::setProperty);
                extra.setManager(extraManager);
                configurer.accept(extra);
            });
            if (managerApplication) {
                Context managerApp = tomcat.addContext("/manager", base.resolve("webapp").toString());
                managerApp.setPrivileged(true);
                Tomcat.addServlet(managerApp, "manager", "org.apache.catalina.manager.ManagerServlet");
                managerApp.addServletMappingDecoded("/text/*", "manager");
            }
            if (listener != null) {
                HttpSessionListener l = listener;
                context.addServletContainerInitializer((classes, servletContext) -> servletContext.addListener(l), null);
            }
            try {
                tomcat.start();
            } catch (LifecycleException e) {
                deleteTree(base);
                throw new IllegalStateException(e);
            }
            return new TestNode(name, tomcat, context, manager, base);
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
