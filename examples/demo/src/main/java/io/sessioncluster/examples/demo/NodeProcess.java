package io.sessioncluster.examples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link DemoNode} running in a child JVM; its output goes to a log file of its own. */
final class NodeProcess implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 90;

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private NodeProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the node and waits until it answers HTTP. */
    static NodeProcess start(String name, int port, Path war, Map<String, String> settings, Path logDir) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                DemoNode.class.getName(),
                "--name", name, "--port", Integer.toString(port), "--war", war.toString()));
        settings.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        Path log = logDir.resolve(name + ".log");
        try {
            Files.createDirectories(logDir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<Integer> ready = new CompletableFuture<>();
            Thread copier = new Thread(() -> copyOutput(process, log, ready), name + "-output");
            copier.setDaemon(true);
            copier.start();
            int actualPort = awaitReady(name, process, ready, log);
            return new NodeProcess(name, process, log, actualPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static int awaitReady(String name, Process process, CompletableFuture<Integer> ready, Path log) {
        try {
            return ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not start; its log is " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while " + name + " started", e);
        }
    }

    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.startsWith(DemoNode.READY)) {
                    ready.complete(Integer.parseInt(line.substring(DemoNode.READY.length()).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the node exited before it was ready"));
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String address() {
        return "http://localhost:" + port + "/cart";
    }

    Path log() {
        return log;
    }

    /** Ends the node the hard way (SIGKILL): no shutdown hook, no goodbye to the cluster. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
