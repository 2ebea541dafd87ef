package io.sessioncluster.tomcat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Redis the ITs use ({@code SESSION_CLUSTER_REDIS_URI}, default {@code redis://127.0.0.1:6379}), a fresh key
 * prefix per test so tests never see each other's sessions, and a tiny RESP client to reach under the store
 * (write garbage into a hash, check what is stored). No password support: the test Redis has none.
 */
final class RedisFixture implements AutoCloseable {

    static final String URI_ENV = "SESSION_CLUSTER_REDIS_URI";
    /** The codec the ITs use: the product's default (kryo) unless {@code -Dsessioncluster.codec=java}. */
    static final String CODEC = System.getProperty("sessioncluster.codec", "");

    final String uri;
    final String prefix;

    RedisFixture() {
        String env = System.getenv(URI_ENV);
        this.uri = env == null || env.isBlank() ? "redis://127.0.0.1:6379" : env;
        this.prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** Manager settings for a Redis-backed node of this test; {@code extra} are name/value pairs. */
    Map<String, String> settings(String... extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("store", "redis");
        settings.put("redisUri", uri);
        settings.put("keyPrefix", prefix);
        settings.put("redisTimeoutMillis", "2000");
        if (!CODEC.isEmpty()) {
            settings.put("codec", CODEC);
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    String sessionKey(String baseId) {
        return prefix + "s:" + baseId;
    }

    void hset(String key, String field, byte[] value) {
        command(bytes("HSET"), bytes(key), bytes(field), value);
    }

    byte[] hget(String key, String field) {
        return (byte[]) command(bytes("HGET"), bytes(key), bytes(field));
    }

    /** {@code CLIENT PAUSE millis ALL}: Redis holds every client's commands back, then runs them (a stalled server). */
    void pauseClients(long millis) {
        command(bytes("CLIENT"), bytes("PAUSE"), bytes(Long.toString(millis)), bytes("ALL"));
    }

    void hdel(String key, String field) {
        command(bytes("HDEL"), bytes(key), bytes(field));
    }

    /** A store over this test's keys, as another node would open it: for a node that dies holding a lock. */
    io.sessioncluster.core.store.SessionStore openStore() {
        return TestStores.open(settings());
    }

    boolean exists(String key) {
        return ((Long) command(bytes("EXISTS"), bytes(key))) == 1L;
    }

    /** Every field and value of every session hash of this test, as raw bytes: what an operator could read. */
    List<byte[]> allSessionBytes() {
        List<byte[]> all = new ArrayList<>();
        for (Object key : (List<?>) command(bytes("KEYS"), bytes(prefix + "s:*"))) {
            for (Object item : (List<?>) command(bytes("HGETALL"), (byte[]) key)) {
                all.add((byte[]) item);
            }
        }
        return all;
    }

    /** Deletes every key of this test. */
    @Override
    public void close() {
        String cursor = "0";
        do {
            List<?> reply = (List<?>) command(bytes("SCAN"), bytes(cursor), bytes("MATCH"), bytes(prefix + "*"),
                    bytes("COUNT"), bytes("1000"));
            cursor = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
            for (Object key : (List<?>) reply.get(1)) {
                command(bytes("DEL"), (byte[]) key);
            }
        } while (!cursor.equals("0"));
    }

    private Object command(byte[]... args) {
        URI parsed = URI.create(uri);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort() < 0 ? 6379 : parsed.getPort()), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(bytes("*" + args.length + "\r\n"));
            for (byte[] arg : args) {
                request.writeBytes(bytes("$" + arg.length + "\r\n"));
                request.writeBytes(arg);
                request.writeBytes(bytes("\r\n"));
            }
            out.write(request.toByteArray());
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = readLine(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("Redis error: " + line);
            case ':' -> Long.valueOf(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(length);
                readLine(in);
                yield data;
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                yield items;
            }
            default -> throw new IllegalStateException("unexpected RESP type " + type);
        };
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
