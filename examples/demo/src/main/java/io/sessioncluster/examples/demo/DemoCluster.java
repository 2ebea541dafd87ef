package io.sessioncluster.examples.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The README's first command: starts three Tomcat nodes on localhost, each in its own JVM, serving the cart web
 * application with sessions replicated by JGroups (no server to install), runs the walkthrough, and keeps serving
 * until interrupted.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts a demo cluster of embedded Tomcat nodes sharing sessions, and walks through failover.")
public final class DemoCluster implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes, at least 3 (default ${DEFAULT-VALUE}).")
    private int nodeCount;

    @Option(names = "--base-port", defaultValue = "8081",
            description = "Port of the first node; the others follow. 0 picks free ports (default ${DEFAULT-VALUE}).")
    private int basePort;

    @Option(names = "--walkthrough-only", description = "Run the walkthrough, stop the nodes and exit.")
    private boolean walkthroughOnly;

    @Option(names = "--store", defaultValue = "jgroups",
            description = "Where sessions live: jgroups (no server needed) or redis (default ${DEFAULT-VALUE}).")
    private String store;

    @Option(names = "--set", description = "An extra <Manager> attribute for every node, name=value; repeatable.")
    private Map<String, String> extraSettings = new LinkedHashMap<>();

    @Option(names = "--war", description = "The web application (default: cart.war next to the demo jar).")
    private Path war;

    @Option(names = "--logs", description = "Where node logs go (default: a new temporary directory).")
    private Path logDir;

    private final PrintStream out;

    DemoCluster(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    static int run(PrintStream out, String... args) {
        PrintWriter writer = new PrintWriter(out, true);
        return new CommandLine(new DemoCluster(out)).setOut(writer).setErr(writer).execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (nodeCount < 3) {
            return usageError("--nodes must be at least 3: the walkthrough kills one node and uses two others");
        }
        Path webapp = war != null ? war : defaultWar();
        if (!Files.isRegularFile(webapp)) {
            return usageError("no web application at " + webapp + " (build it first: examples/demo.sh does)");
        }
        Path logs = logDir != null ? logDir : Files.createTempDirectory("session-cluster-demo-logs-");
        Map<String, String> settings = settings();
        List<NodeProcess> nodes = new ArrayList<>();
        Thread stopper = new Thread(() -> nodes.forEach(NodeProcess::close), "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            out.println("Starting " + nodeCount + " Tomcat nodes with " + describe(settings) + " (logs in " + logs + ")");
            for (int i = 1; i <= nodeCount; i++) {
                int port = basePort == 0 ? freePort() : basePort + i - 1;
                nodes.add(NodeProcess.start("node" + i, port, webapp, settings, logs));
            }
            nodes.forEach(node -> out.println("  " + node.name() + "  " + node.address()));
            try {
                new Walkthrough(out).run(nodes);
            } catch (WalkthroughFailure e) {
                out.println();
                out.println("Walkthrough FAILED: " + e.getMessage());
                return 1;
            }
            if (walkthroughOnly) {
                return 0;
            }
            NodeProcess restarted = NodeProcess.start(nodes.get(0).name(), nodes.get(0).port(), webapp, settings, logs);
            nodes.set(0, restarted);
            out.println();
            out.println(restarted.name() + " is back. The cluster keeps serving; try it with a browser or curl:");
            nodes.forEach(node -> out.println("  " + node.name() + "  " + node.address()));
            out.println("  curl -c jar -b jar -X POST '" + nodes.get(0).address() + "?add=banana'");
            out.println("  curl -c jar -b jar '" + nodes.get(1).address() + "'");
            out.println("Press Ctrl+C to stop.");
            new CountDownLatch(1).await();
            return 0;
        } finally {
            nodes.forEach(NodeProcess::close);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private int usageError(String message) {
        out.println(message);
        return CommandLine.ExitCode.USAGE;
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("store", store);
        // No allowedClasses: the cart's classes are the web application's own (WEB-INF/classes), allowed by default.
        if (store.equals("jgroups")) {
            // A cluster name of this run's own, so two demos on one machine never join each other.
            settings.put("clusterName", "session-cluster-demo-" + ProcessHandle.current().pid());
        }
        settings.putAll(extraSettings);
        return settings;
    }

    private static String describe(Map<String, String> settings) {
        return "store=" + settings.get("store")
                + (settings.containsKey("replication") ? ", replication=" + settings.get("replication") : "");
    }

    private static Path defaultWar() {
        try {
            Path jar = Path.of(DemoCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolve("cart.war");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
