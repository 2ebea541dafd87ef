package io.sessioncluster.benchmarks.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the commands clients send to Redis, by name, through {@code MONITOR}, leaving out those a Lua script
 * issues ({@code [0 lua]}): {@code INFO commandstats} counts both, but only the first are requests on the wire.
 * {@code MONITOR} slows Redis down, so it is used only when one request kind runs alone, never under load.
 */
final class RedisMonitor implements AutoCloseable {

    private final Socket socket;
    private final Thread reader;
    private final Map<String, Long> calls = new TreeMap<>();

    private RedisMonitor(Socket socket) {
        this.socket = socket;
        this.reader = new Thread(this::read, "redis-monitor");
        this.reader.setDaemon(true);
    }

    static RedisMonitor start(int port) throws IOException, InterruptedException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        OutputStream out = s.getOutputStream();
        out.write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        RedisMonitor monitor = new RedisMonitor(s);
        monitor.reader.start();
        Thread.sleep(100); // the +OK and the first lines: commands from now on are seen
        return monitor;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = parse(line);
                if (command != null) {
                    synchronized (calls) {
                        calls.merge(command, 1L, Long::sum);
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** {@code +1700000000.1 [0 127.0.0.1:5000] "HGET" "k" "f"} -> hget; script-issued and our own: null. */
    static String parse(String line) {
        int open = line.indexOf('[');
        int close = line.indexOf(']', open + 1);
        if (!line.startsWith("+") || open < 0 || close < 0 || line.substring(open, close).contains("lua")) {
            return null;
        }
        int q1 = line.indexOf('"', close);
        int q2 = q1 < 0 ? -1 : line.indexOf('"', q1 + 1);
        if (q2 < 0) {
            return null;
        }
        String command = line.substring(q1 + 1, q2).toLowerCase(Locale.ROOT);
        return command.equals("info") || command.equals("monitor") ? null : command;
    }

    Map<String, Long> calls() {
        synchronized (calls) {
            return new TreeMap<>(calls);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Thread.sleep(100); // let the last lines arrive
        socket.close();
        reader.join(2_000);
    }
}
