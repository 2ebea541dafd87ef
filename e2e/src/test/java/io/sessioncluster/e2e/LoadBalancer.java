package io.sessioncluster.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy (the Debian package) in front of the nodes, run in the foreground as a child process. Sticky: a session
 * goes to the node named by the route suffix of its {@code JSESSIONID} cookie while that node is up, elsewhere by
 * round robin once health checks mark it down. Not sticky: plain round robin. The configuration written is the one
 * in {@code examples/haproxy/}, with the test's ports.
 */
final class LoadBalancer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int port;
    private final int statsPort;
    private final Process process;

    private LoadBalancer(int port, int statsPort, Process process) {
        this.port = port;
        this.statsPort = statsPort;
        this.process = process;
    }

    static LoadBalancer start(Path dir, boolean sticky, List<TomcatNode> nodes) {
        String binary = System.getenv().getOrDefault("HAPROXY_BIN", "haproxy");
        int port = FreePorts.next();
        int statsPort = FreePorts.next();
        try {
            Path config = dir.resolve("haproxy.cfg");
            Files.writeString(config, config(port, statsPort, sticky, nodes));
            Process process = new ProcessBuilder(binary, "-db", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.out").toFile())
                    .start();
            LoadBalancer balancer = new LoadBalancer(port, statsPort, ChildProcesses.register(process));
            for (TomcatNode node : nodes) {
                balancer.awaitStatus(node, "UP");
            }
            return balancer;
        } catch (IOException e) {
            throw new AssertionError("cannot run HAProxy [" + binary + "]: install it (Debian: apt-get install"
                    + " haproxy) or point HAPROXY_BIN at it", e);
        }
    }

    private static String config(int port, int statsPort, boolean sticky, List<TomcatNode> nodes) {
        StringBuilder backend = new StringBuilder();
        if (sticky) {
            for (TomcatNode node : nodes) {
                // The route Tomcat appends to the session id (jvmRoute); ignored while that server is down.
                backend.append("  use-server %s if { req.cook(JSESSIONID) -m end .%s }\n"
                        .formatted(node.route, node.route));
            }
        }
        for (TomcatNode node : nodes) {
            backend.append("  server %s 127.0.0.1:%d check inter 250 fall 1 rise 1\n"
                    .formatted(node.route, node.httpPort));
        }
        return """
                global
                  maxconn 512
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 60s
                  timeout server 60s
                  retries 3
                  option redispatch
                frontend web
                  bind 127.0.0.1:%d
                  default_backend cart
                frontend stats
                  bind 127.0.0.1:%d
                  stats enable
                  stats uri /stats
                backend cart
                  balance roundrobin
                %s""".formatted(port, statsPort, backend);
    }

    /** Waits until HAProxy's health checks see {@code node} in {@code status} ("UP" or "DOWN"). */
    void awaitStatus(TomcatNode node, String status) {
        Await.until("HAProxy to see " + node.route + " " + status, Duration.ofSeconds(120),
                () -> status.equals(status(node)));
    }

    private String status(TomcatNode node) {
        if (!process.isAlive()) {
            throw new AssertionError("HAProxy exited with " + process.exitValue());
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                    .timeout(Duration.ofSeconds(2)).build();
            String csv = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
            for (String line : csv.split("\n")) {
                String[] fields = line.split(",", -1);
                if (fields.length > 17 && fields[0].equals("cart") && fields[1].equals(node.route)) {
                    return fields[17].split(" ")[0];
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void close() {
        ChildProcesses.kill(process);
    }
}
