package io.sessioncluster.benchmarks.http;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded Tomcat serving the {@link ShopServlet} at {@code /shop} on a free port: the same connector,
 * servlet and context for every configuration; only what {@link Setup} does differs (the manager, a cluster,
 * a filter).
 */
final class TomcatNode implements Node {

    /** What a configuration adds to a node before it starts. */
    @FunctionalInterface
    interface Setup {
        void apply(Tomcat tomcat, Context context) throws Exception;
    }

    private final Tomcat tomcat;
    private final Path baseDir;
    private final int port;

    private TomcatNode(Tomcat tomcat, Path baseDir) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
        this.port = tomcat.getConnector().getLocalPort();
    }

    /**
     * @param jvmRoute the node's route (session id suffix) or null for none
     */
    static TomcatNode start(String name, String jvmRoute, BenchEnv env, Setup setup) throws Exception {
        Path base = Files.createTempDirectory("sc-bench-" + name + "-");
        Files.createDirectories(base.resolve("webapp"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
        tomcat.getConnector().setProperty("maxThreads", Integer.toString(env.connectorThreads()));
        tomcat.getConnector().setProperty("acceptCount", Integer.toString(env.connectorThreads()));
        tomcat.getHost().setAutoDeploy(false);
        if (jvmRoute != null) {
            tomcat.getEngine().setJvmRoute(jvmRoute);
        }
        Context context = tomcat.addContext("", base.resolve("webapp").toString());
        Wrapper servlet = Tomcat.addServlet(context, "shop", new ShopServlet(env.workload()));
        servlet.addMapping("/shop");
        setup.apply(tomcat, context);
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            deleteTree(base);
            throw e;
        }
        return new TomcatNode(tomcat, base);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            System.err.println("stopping a node failed: " + e);
        } finally {
            deleteTree(baseDir);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp directory
        }
    }
}
