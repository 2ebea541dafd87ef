package io.sessioncluster.benchmarks.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A redis-server of the benchmark's own on a free loopback port, without persistence, so that no one else's
 * traffic moves its counters. Stopped (by its process handle) when closed.
 */
final class RedisServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisServer start(String executable, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(List.of(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RedisServer server = new RedisServer(process, port);
        RedisInfo info = new RedisInfo(port);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                info.info();
                return server;
            } catch (IllegalStateException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new IOException("redis-server did not start on port " + port + "; see " + log, e);
                }
                Thread.sleep(100);
            }
        }
    }

    int port() {
        return port;
    }

    /** The server's process id, for its CPU time ({@link CpuClock}). */
    long pid() {
        return process.pid();
    }

    String version() {
        return new RedisInfo(port).info().getOrDefault("redis_version", "?");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
