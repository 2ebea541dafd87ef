package io.sessioncluster.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite (issue 12): three real Tomcat 11 nodes behind HAProxy, {@code sticky=false} and sync writes (so the
 * session lock is on), clients that record every acknowledged append to their session's ledger, and faults while
 * they run: SIGKILL of a node, SIGSTOP of a node for longer than the lock lease and the balancer's health checks (a
 * long GC pause), the store paused (Redis {@code CLIENT PAUSE}) or restarted (PostgreSQL). Three clients share one
 * session (parallel AJAX requests of one page), two have one each. One node runs with its clock five minutes ahead
 * (libfaketime) the whole time. At the end every acknowledged append is in its session's ledger, once, in the
 * client's order; no session expired early (the fast node's expiry sweeps would otherwise claim every session); and
 * a session last used on the fast node expired on time (not five minutes late).
 *
 * <p>The short variant (one round of faults) runs with the e2e suite; the long one is {@code -Dfaults.rounds=10}
 * (see docs/testing.md, "Fault suite"). Figures go to {@code target/e2e/fault-report.md}.
 */
class FaultSuiteIT {

    /** Debian's path; {@code SESSION_CLUSTER_FAKETIME_LIB} names another. */
    static final Path LIBFAKETIME = Path.of(System.getenv().getOrDefault("SESSION_CLUSTER_FAKETIME_LIB",
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"));
    private static final long CLOCK_AHEAD_MILLIS = 300_000;
    private static final int ROUNDS = Integer.getInteger("faults.rounds", 1);
    private static final int IDLE_TIMEOUT_SECONDS = 8;
    /** Well under the fast node's lead: were its clock trusted, its sweeps would claim these sessions at once. */
    private static final int SESSION_TIMEOUT_SECONDS = 120;
    private static final List<String> REPORT = new CopyOnWriteArrayList<>();
    /** When each fault began and ended (ms since the epoch), for a failure's message. */
    private static final List<String> TIMELINE = new CopyOnWriteArrayList<>();

    static Stream<Arguments> setups() {
        String only = System.getProperty("e2e.only", "");
        return Stream.of(Arguments.of(StoreSetup.redis()), Arguments.of(StoreSetup.jdbc()))
                .filter(setup -> setup.get()[0].toString().startsWith(only));
    }

    /** A fault and how the cluster gets over it. */
    private record Fault(String name, Runnable inject) {
    }

    @ParameterizedTest(name = "{0}, sticky=false")
    @MethodSource("setups")
    void everyAcknowledgedChangeSurvivesTheFaultsOnceAndInOrder(StoreSetup store) throws Exception {
        assertThat(LIBFAKETIME).as("libfaketime (Debian package faketime; .ci/prerequisites installs it)").exists();
        Path parts = Path.of(System.getProperty("e2e.dir"));
        Path war = LedgerWar.build(parts);
        // Sweeps every second (the Engine's backgroundProcessorDelay is 1 s), so that expiry is quick to observe.
        StoreSetup ledger = store.forApplication(LedgerWar.APP).with("processExpiresFrequency", "1");
        Path dir = parts.resolve("runs").resolve("faults-" + store.name());
        try (Cluster cluster = Cluster.start(Path.of(System.getProperty("e2e.tomcat11")), dir, store, false,
                (node, index) -> {
                    node.addApplication(LedgerWar.APP, war, ledger.managerElement(false));
                    if (index == 2) {
                        node.shiftClock(LIBFAKETIME, CLOCK_AHEAD_MILLIS);
                    }
                })) {
            TomcatNode fast = cluster.nodes.get(2);
            String shared = start(cluster.balancer.port, SESSION_TIMEOUT_SECONDS);
            Map<String, List<LedgerClient>> bySession = new HashMap<>();
            List<LedgerClient> clients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                clients.add(new LedgerClient("shared" + c, shared, cluster.balancer.port, 3));
            }
            bySession.put(shared, List.copyOf(clients));
            for (int s = 0; s < 2; s++) {
                String own = start(cluster.balancer.port, SESSION_TIMEOUT_SECONDS);
                LedgerClient client = new LedgerClient("own" + s, own, cluster.balancer.port, 3);
                clients.add(client);
                bySession.put(own, List.of(client));
            }
            // A session used only on the fast node, then left idle: it must expire after its timeout.
            String idle = start(fast.httpPort, IDLE_TIMEOUT_SECONDS);
            Browser idleUser = new Browser(fast.httpPort);
            idleUser.cookie(idle);
            assertThat(idleUser.get(fast.httpPort, "/ledger/append.jsp?v=idle").body()).startsWith("ok");
            long idleSince = System.nanoTime();

            List<Thread> threads = new ArrayList<>();
            for (LedgerClient client : clients) {
                Thread t = new Thread(client, "ledger-" + client.name);
                t.start();
                threads.add(t);
            }
            List<Fault> faults = faults(cluster, store);
            int injected = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (Fault fault : faults) {
                    quiet(3);
                    long began = System.currentTimeMillis();
                    fault.inject().run();
                    TIMELINE.add(fault.name() + " " + began + ".." + System.currentTimeMillis());
                    injected++;
                }
            }
            quiet(5);
            clients.forEach(LedgerClient::stop);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(90).toMillis());
                assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
            }

            long acknowledged = 0;
            for (Map.Entry<String, List<LedgerClient>> session : bySession.entrySet()) {
                List<String> stored = list(cluster.balancer.port, session.getKey());
                for (LedgerClient client : session.getValue()) {
                    assertThat(client.sessionsLost()).as("%s: its session vanished (expired early?); its last attempts:%n%s%n"
                            + "faults: %s", client.name, client.lastAttempts(), TIMELINE).isZero();
                    assertOnceInOrder(client, stored);
                    acknowledged += client.acknowledged().size();
                }
            }
            long waited = Duration.ofNanos(System.nanoTime() - idleSince).toSeconds();
            Await.until("the idle session to expire on time", Duration.ofSeconds(Math.max(1, IDLE_TIMEOUT_SECONDS + 20 - waited)),
                    () -> list(cluster.nodes.get(0).httpPort, idle).equals(List.of("no-session")));

            long serverErrors = clients.stream().mapToLong(LedgerClient::serverErrors).sum();
            long connectionErrors = clients.stream().mapToLong(LedgerClient::connectionErrors).sum();
            long longest = clients.stream().mapToLong(LedgerClient::longestOutageMillis).max().orElse(0);
            String row = "| " + store.name() + ", sticky=false, sync | " + acknowledged + " | " + injected + " ("
                    + faults.stream().map(Fault::name).reduce((a, b) -> a + ", " + b).orElse("") + ") x " + ROUNDS
                    + " | 0 | " + serverErrors + " | " + connectionErrors + " | " + longest + " ms |";
            REPORT.add(row);
            System.out.println("fault suite: " + row);
        }
    }

    @AfterAll
    static void writeReport() throws IOException {
        if (REPORT.isEmpty()) {
            return;
        }
        Path report = Path.of(System.getProperty("e2e.dir")).resolve("fault-report.md");
        List<String> lines = new ArrayList<>(List.of(
                "| setup | acknowledged appends | faults | lost | 5xx answers | connection errors | longest recovery |",
                "|---|---|---|---|---|---|---|"));
        lines.addAll(REPORT);
        Files.write(report, lines);
    }

    private static List<Fault> faults(Cluster cluster, StoreSetup store) {
        TomcatNode first = cluster.nodes.get(0);
        TomcatNode second = cluster.nodes.get(1);
        List<Fault> faults = new ArrayList<>();
        faults.add(new Fault("SIGKILL", () -> {
            first.kill();
            quiet(3);
            cluster.restart(first);
        }));
        faults.add(new Fault("SIGSTOP 12 s", () -> {
            // Longer than the lock lease (10 s) and the balancer's health checks: the node's locks run out and
            // are taken; when it wakes, its own writes are fenced.
            second.pause();
            quiet(12);
            second.resume();
            cluster.balancer.awaitStatus(second, "UP");
        }));
        if (store.name().equals("redis")) {
            faults.add(new Fault("Redis paused 4 s", () -> run("redis-cli", "-h", redisHost(), "-p",
                    Integer.toString(redisPort()), "CLIENT", "PAUSE", "4000", "ALL")));
        } else {
            faults.add(new Fault("PostgreSQL restarted", FaultSuiteIT::restartPostgres));
        }
        return faults;
    }

    private static void assertOnceInOrder(LedgerClient client, List<String> ledger) {
        List<String> stored = ledger.stream().map(entry -> entry.substring(0, entry.lastIndexOf('@'))).toList();
        int previous = -1;
        for (String value : client.acknowledged()) {
            int at = stored.indexOf(value);
            assertThat(at).as(client.name + ": acknowledged [" + value + "] is in the ledger; attempts around it:\n"
                    + client.attemptsAround(value) + "\nfaults: " + TIMELINE + "\nledger: " + ledger)
                    .isGreaterThanOrEqualTo(0);
            assertThat(stored.lastIndexOf(value)).as(client.name + ": [" + value + "] once; attempts around it:\n"
                    + client.attemptsAround(value) + "\nledger: " + ledger).isEqualTo(at);
            assertThat(at).as(client.name + ": [" + value + "] after its previous append").isGreaterThan(previous);
            previous = at;
        }
    }

    /** A new session with an empty ledger, begun at {@code port}; its cookie. */
    private static String start(int port, int timeoutSeconds) {
        Browser browser = new Browser(port);
        Browser.Page page = browser.get(port, "/ledger/start.jsp?timeout=" + timeoutSeconds);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(browser.cookie()).isNotNull();
        return browser.cookie();
    }

    private static List<String> list(int port, String session) {
        Browser browser = new Browser(port);
        browser.cookie(session);
        Browser.Page page = browser.get(port, "/ledger/list.jsp");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        String body = page.body().trim();
        return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n"));
    }

    private static void restartPostgres() {
        // Debian's cluster tools: the first line of pg_lsclusters -h is "<version> <name> <port> ...".
        String cluster = output("pg_lsclusters", "-h").lines().filter(l -> l.contains(" 5432 ")).findFirst()
                .orElseThrow(() -> new AssertionError("no PostgreSQL cluster on port 5432 in pg_lsclusters"));
        String[] fields = cluster.trim().split("\\s+");
        run("pg_ctlcluster", fields[0], fields[1], "restart", "-m", "fast");
    }

    private static URI redisUri() {
        return URI.create(System.getenv().getOrDefault("SESSION_CLUSTER_REDIS_URI", "redis://127.0.0.1:6379"));
    }

    private static String redisHost() {
        return redisUri().getHost();
    }

    private static int redisPort() {
        int port = redisUri().getPort();
        return port < 0 ? 6379 : port;
    }

    private static void quiet(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void run(String... command) {
        String out = output(command);
        if (out == null) {
            throw new AssertionError(String.join(" ", command) + " failed");
        }
    }

    /** Runs {@code command}; its output, or an AssertionError naming the command if it fails. */
    private static String output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
