package io.sessioncluster.examples.demo;

import io.sessioncluster.tomcat.ClusteredSessionManager;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One node of the demo cluster, in a JVM of its own: an embedded Tomcat serving the cart web application with a
 * {@link ClusteredSessionManager}, configured through {@code setProperty} exactly as a {@code <Manager>} element
 * in {@code context.xml} would be. Prints {@value #READY} and its port once it serves requests.
 */
@Command(name = "demo-node", mixinStandardHelpOptions = true,
        description = "Runs one embedded Tomcat node of the demo cluster.")
public final class DemoNode implements Callable<Integer> {

    /** The line a node prints on standard output once it answers HTTP, followed by its port. */
    static final String READY = "session-cluster demo node ready on port";

    @Option(names = "--name", required = true, description = "Node name, also its jvmRoute.")
    private String name;

    @Option(names = "--port", required = true, description = "HTTP port (0 picks a free one).")
    private int port;

    @Option(names = "--war", required = true, description = "The web application to serve at /.")
    private Path war;

    @Option(names = "--set", description = "A <Manager> attribute, name=value; repeatable.")
    private Map<String, String> settings = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoNode()).execute(args));
    }

    @Override
    public Integer call() throws IOException, LifecycleException {
        System.setProperty("session-cluster.node", name);
        Path base = Files.createTempDirectory("session-cluster-demo-" + name + "-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(port);
        tomcat.getEngine().setJvmRoute(name);
        Files.createDirectories(base.resolve("webapps"));
        tomcat.getHost().setAppBase(base.resolve("webapps").toString());
        // Tomcat's default web.xml would add the JSP servlet, and Jasper is not on this class path: the cart needs
        // neither JSP nor static files.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", war.toAbsolutePath().toString());
        ClusteredSessionManager manager = new ClusteredSessionManager();
        settings.forEach(manager::setProperty);
        context.setManager(manager);
        tomcat.start();
        if (!context.getState().isAvailable()) {
            System.err.println("the web application did not start; see the log above");
            tomcat.stop();
            return 1;
        }
        System.out.println(READY + " " + tomcat.getConnector().getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
        return 0;
    }
}
