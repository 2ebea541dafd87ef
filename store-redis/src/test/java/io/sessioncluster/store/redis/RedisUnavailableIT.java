package io.sessioncluster.store.redis;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreUnavailableException;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Redis down at start, Redis going away and coming back: fail fast, never hang, recover. */
@Timeout(90)
class RedisUnavailableIT {

    private static final int TIMEOUT_MILLIS = 500;

    private static SessionStore openAt(String uri) {
        return RedisTestServer.open(RedisTestServer.randomPrefix("down"),
                Map.of("redisUri", uri, "redisTimeoutMillis", Integer.toString(TIMEOUT_MILLIS)));
    }

    /** Each store operation, to check them all the same way. */
    private static final List<Function<SessionStore, Executable>> OPERATIONS = List.of(
            s -> () -> s.load("ID1"),
            s -> () -> s.version("ID1"),
            s -> () -> s.write(new ChangeSet("ID1", true, 1, 1, 60, Map.of("a", bytes("1")), Set.of())),
            s -> () -> s.touch(List.of(new Touch("ID1", 2))),
            s -> () -> s.changeId("ID1", "ID2"),
            s -> () -> s.delete("ID1"),
            s -> () -> s.claimIfExpired("ID1", 5),
            s -> () -> s.claimExpired(5, 10));

    private static void assertEveryOperationFailsFast(SessionStore store) {
        for (Function<SessionStore, Executable> operation : OPERATIONS) {
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> operation.apply(store).execute());
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(thrown).isInstanceOf(StoreUnavailableException.class);
            assertThat(tookMillis).as("operation took %d ms", tookMillis).isLessThan(TIMEOUT_MILLIS + 1_000L);
        }
    }

    @Test
    void openSucceedsWhileRedisIsDownAndOperationsFailFast() {
        // Port 1 on loopback: nothing listens there, connections are refused at once.
        try (SessionStore store = openAt("redis://:secret-password@127.0.0.1:1")) {
            assertEveryOperationFailsFast(store);
            assertEveryOperationFailsFast(store); // again: now inside the once-per-second retry window
            Throwable thrown = catchThrowable(() -> store.load("ID1"));
            assertThat(thrown).hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("secret-password");
        }
    }

    @Test
    void serverThatNeverAnswersIsBoundedByTheTimeout() throws Exception {
        // A loopback socket that accepts connections and never replies: Redis hung, or a black-holing proxy.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SessionStore store = openAt("redis://127.0.0.1:" + silent.getLocalPort())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            }, "silent-redis");
            acceptor.setDaemon(true);
            acceptor.start();

            assertEveryOperationFailsFast(store);
        }
    }

    @Test
    void operationsFailWhileRedisIsGoneAndRecoverWhenItIsBack() {
        assertTrue(RedisProcess.available(), "these tests start their own redis-server; install it or set REDIS_SERVER_BIN (now: " + RedisProcess.SERVER_BIN + ")");
        try (RedisProcess redis = RedisProcess.launch(); SessionStore store = openAt(redis.uri())) {
            long now = System.currentTimeMillis();
            store.write(new ChangeSet("KEEP", true, now, now, 600, Map.of("a", bytes("1")), Set.of()));

            redis.stop();
            assertEveryOperationFailsFast(store);

            redis.start(); // same port, empty data: it was a crash without persistence
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Throwable last = null;
            while (System.nanoTime() < deadline) {
                try {
                    assertThat(store.load("KEEP")).isEmpty();
                    last = null;
                    break;
                } catch (StoreUnavailableException e) {
                    last = e;
                    RedisProcess.sleep(200);
                }
            }
            assertThat(last).as("store did not recover within 15 s").isNull();
            store.write(new ChangeSet("KEEP", true, now, now, 600, Map.of("a", bytes("2")), Set.of()));
            assertThat(store.load("KEEP")).isPresent();
        }
    }
}
