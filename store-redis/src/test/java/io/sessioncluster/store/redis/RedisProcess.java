package io.sessioncluster.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} process of a test's own, on a free loopback port, without persistence, in a temporary
 * directory. The binary is {@code REDIS_SERVER_BIN} (default {@code redis-server} on the PATH); tests that need
 * one fail, naming it, when it is missing (.ci/prerequisites checks it before the build). Every wait is bounded.
 */
final class RedisProcess implements AutoCloseable {

    static final String SERVER_BIN = envOr("REDIS_SERVER_BIN", "redis-server");

    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private final String config;
    private Process process;

    private RedisProcess(Path dir, int port, List<String> extraArgs, String config) {
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
        this.config = config;
    }

    /** True if the redis-server binary can be run. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder(SERVER_BIN, "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a server on a free port and waits (bounded) until it accepts connections. */
    static RedisProcess launch(String... extraArgs) {
        return launch(freePort(), null, extraArgs);
    }

    /** A Cluster node: its bus port (port + 10000) must be free as well. */
    static RedisProcess launchClusterNode() {
        return launch(freeClusterPort(), null, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000");
    }

    /** A Sentinel with this configuration file text (Sentinel rewrites its file, so it gets one of its own). */
    static RedisProcess launchSentinel(String config) {
        return launch(freePort(), config, "--sentinel");
    }

    /**
     * A server that speaks TLS only: its {@link #port()} is the TLS port ({@code --port 0} after the default
     * {@code --port} turns plain TCP off; the last one wins). Clients need no certificate of their own.
     */
    static RedisProcess launchTls(Path certificate, Path key, Path caCertificate) {
        int port = freePort();
        return launch(port, null, "--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", caCertificate.toString(), "--tls-auth-clients", "no");
    }

    private static RedisProcess launch(int port, String config, String... extraArgs) {
        try {
            RedisProcess server = new RedisProcess(Files.createTempDirectory("sc-redis-"), port, List.of(extraArgs), config);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on the same port, after {@link #stop()}. */
    void start() {
        List<String> command = new ArrayList<>(List.of(SERVER_BIN));
        if (config != null) {
            Path conf = dir.resolve("redis.conf");
            try {
                if (!Files.exists(conf)) {
                    Files.writeString(conf, config, StandardCharsets.US_ASCII);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            command.add(conf.toString());
        }
        command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + SERVER_BIN, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                if (socket.isConnected()) {
                    return;
                }
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited: " + log());
                }
            }
            sleep(50);
        }
        stop();
        throw new IllegalStateException("redis-server did not listen on port " + port + " within 10 s: " + log());
    }

    /** Kills the server (as a crash would) and waits for it to exit. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    Path dir() {
        return dir;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free port below 55536 whose Cluster bus port (port + 10000) is free too. */
    @SuppressWarnings("try") // the sockets only probe that both ports are free
    static int freeClusterPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            try (ServerSocket a = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                 ServerSocket b = new ServerSocket(port + 10_000, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port pair for a Cluster node");
    }

    /** Runs a command (redis-cli), bounded; returns its output or throws with it. */
    static String run(List<String> command, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
