package io.sessioncluster.benchmarks.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Talks RESP to the benchmark's own Redis over a plain socket (no client library, so it cannot disturb the
 * libraries under test): {@code INFO all} parsed into counters, and {@code FLUSHALL} between configurations.
 *
 * <p>Bytes are {@code total_net_input_bytes} (what clients sent to Redis), commands the sum of
 * {@code cmdstat_*} calls, reads the calls of commands that only read data, round trips
 * {@code total_reads_processed} (socket reads, one per batch a client sent; under load several requests' commands
 * can share one). The probe's own {@code INFO} is subtracted.
 */
final class RedisInfo implements StoreProbe {

    /** Commands that only read session data: what sticky mode should never need on a hit. */
    static final Set<String> READS = Set.of("get", "mget", "hget", "hmget", "hgetall", "hkeys", "hvals", "hlen",
            "hexists", "exists", "ttl", "pttl", "type", "hscan", "scan", "smembers", "sismember", "zrange",
            "zrangebyscore", "zscore", "strlen", "getex", "evalsha_ro", "eval_ro");
    private static final Set<String> OWN = Set.of("info", "flushall", "ping", "config|resetstat", "config");
    private static final byte[] INFO = "*2\r\n$4\r\nINFO\r\n$3\r\nall\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int port;

    RedisInfo(int port) {
        this.port = port;
    }

    @Override
    public StoreCounters counters() {
        Map<String, String> info = info();
        long commands = 0;
        long reads = 0;
        for (Map.Entry<String, String> e : info.entrySet()) {
            if (!e.getKey().startsWith("cmdstat_")) {
                continue;
            }
            String command = e.getKey().substring("cmdstat_".length());
            if (OWN.contains(command)) {
                continue;
            }
            long calls = field(e.getValue(), "calls");
            commands += calls;
            if (READS.contains(command)) {
                reads += calls;
            }
        }
        // This INFO is one read event and INFO.length input bytes, counted before the stats are rendered.
        return new StoreCounters(Long.parseLong(info.get("total_net_input_bytes")) - INFO.length, commands, reads,
                Long.parseLong(info.get("total_reads_processed")) - 1);
    }

    @Override
    public Map<String, Long> commandCalls() {
        Map<String, Long> calls = new java.util.TreeMap<>();
        info().forEach((key, value) -> {
            if (key.startsWith("cmdstat_") && !OWN.contains(key.substring(8))) {
                calls.put(key.substring(8), field(value, "calls"));
            }
        });
        return calls;
    }

    @Override
    public long storeMemoryBytes() {
        return Long.parseLong(info().get("used_memory"));
    }

    @Override
    public String describe() {
        return "Redis INFO deltas on a dedicated redis-server";
    }

    Map<String, String> info() {
        String text = new String(call(INFO), StandardCharsets.UTF_8);
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                values.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return values;
    }

    void flushAll() {
        call("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code calls=12,usec=...} -> 12 */
    static long field(String stats, String name) {
        for (String part : stats.split(",")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        return 0;
    }

    private byte[] call(byte[] command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(command);
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            int type = in.read();
            String header = readLine(in);
            if (type == '-') {
                throw new IllegalStateException("redis answered an error: " + header);
            }
            if (type != '$') {
                return header.getBytes(StandardCharsets.UTF_8);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header));
            return body;
        } catch (IOException e) {
            throw new IllegalStateException("cannot talk to the benchmark redis on port " + port, e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("redis closed the connection");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
