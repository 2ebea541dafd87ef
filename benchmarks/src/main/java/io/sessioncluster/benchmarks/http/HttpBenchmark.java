package io.sessioncluster.benchmarks.http;

import io.sessioncluster.benchmarks.Codecs;
import io.sessioncluster.core.config.CodecType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The HTTP benchmark: starts a dedicated redis-server, runs every configuration of {@link Scenarios} back to back,
 * each in a JVM of its own ({@link ScenarioRun}), and writes the results table (Markdown) and the throughput
 * chart (PNG). Ratios are to the baseline of the same run. Options ({@code --name=value}):
 * {@code warmup} (s, 5), {@code duration} (s, 15), {@code users} (16), {@code cart-items} (14),
 * {@code heap-sessions} (5000, scaled to 10,000; 0 to skip), {@code only} (regex on scenario ids; the baseline always runs),
 * {@code out} (docs/benchmarks), {@code logs} (benchmarks/target/http-logs), {@code redis-server}
 * (redis-server), {@code mix} (80/15/5: percent of reads, small writes and new sessions), {@code jvm}
 * (-Xms1g -Xmx1g -XX:+UseG1GC), {@code rounds} (1: each configuration once; more:
 * every configuration again, starting elsewhere in the list, and the median ratio of the rounds is reported),
 * {@code shape} (pojo | maps: the session's attributes), {@code page} (trivial | render: the page's own work),
 * {@code kind-seconds} (5: the short run of each request kind alone, for CPU per kind; 0 skips),
 * {@code sweep} (empty: none; e.g. 16,64,256,512: the concurrency sweep, load only, its own table),
 * {@code sweep-only} (regex on scenario ids for the sweep; the baseline always runs).
 */
public final class HttpBenchmark {

    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("warmup", "5"),
            Map.entry("mix", "80/15/5"), Map.entry("duration", "15"), Map.entry("users", "16"), Map.entry("cart-items", "14"),
            Map.entry("heap-sessions", "5000"), Map.entry("only", ".*"), Map.entry("out", "docs/benchmarks"),
            Map.entry("logs", "benchmarks/target/http-logs"), Map.entry("redis-server", "redis-server"),
            Map.entry("jvm", "-Xms1g -Xmx1g -XX:+UseG1GC"), Map.entry("rounds", "1"), Map.entry("shape", "pojo"),
            Map.entry("page", "trivial"), Map.entry("kind-seconds", "5"), Map.entry("sweep", ""),
            Map.entry("sweep-only", "^ours-redis-sticky-(async|sync)$"));

    private HttpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        RequestMix.parse(options.get("mix")); // a malformed mix fails now, not in the first scenario's JVM
        Workload.parse(1, options.get("shape"), options.get("page"));
        List<Integer> sweep = sweepCounts(options.get("sweep"));
        Path out = Path.of(options.get("out"));
        Path logs = Path.of(options.get("logs"));
        Files.createDirectories(out);
        Files.createDirectories(logs);
        Pattern only = Pattern.compile(options.get("only"));
        List<Scenario> scenarios = Scenarios.all().stream()
                .filter(s -> s.name().equals(Scenarios.BASELINE) || only.matcher(s.id()).find()).toList();
        int cartItems = Integer.parseInt(options.get("cart-items"));
        Workload work = Workload.parse(cartItems, options.get("shape"), options.get("page"));
        String workload = workload(work, options);
        System.out.println(workload);

        List<Row> rows = new ArrayList<>();
        Map<Integer, List<Row>> sweepRows;
        String redisVersion;
        try (RedisServer redis = RedisServer.start(options.get("redis-server"), logs.resolve("redis-server.log"))) {
            redisVersion = redis.version();
            int rounds = Integer.parseInt(options.get("rounds"));
            List<Scenario> runnable = scenarios.stream().filter(s -> !s.isPending()).toList();
            Map<String, List<Measurement>> measured = new HashMap<>();
            Map<String, String> failures = new HashMap<>();
            for (int round = 0; round < rounds; round++) {
                // Later rounds start elsewhere in the list, so a slow spell of the machine hits other rows.
                for (int k = 0; k < runnable.size(); k++) {
                    Scenario s = runnable.get((k + round) % runnable.size());
                    System.out.printf("%n=== round %d/%d: %s (%s) ===%n", round + 1, rounds, s.name(),
                            s.sticky() ? "sticky" : "non-sticky");
                    try {
                        Measurement m = runChild(s, redis, options, logs, round == 0,
                                Integer.parseInt(options.get("users")), "");
                        measured.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(m);
                        System.out.printf("    %,.0f req/s, p50 %.2f ms, p99 %.2f ms, %.0f bytes/req, errors %d%n",
                                m.throughput(), m.p50Micros() / 1000.0, m.p99Micros() / 1000.0,
                                m.bytesPerRequest(), m.errors());
                    } catch (IOException | RuntimeException e) {
                        failures.putIfAbsent(s.name(), "failed: " + e.getMessage());
                        System.out.println("    FAILED: " + e.getMessage());
                    }
                }
            }
            rows.addAll(Rounds.rows(scenarios, measured, failures));
            sweepRows = sweep(sweep, redis, options, logs, rounds);
        }
        String subtitle = String.format(Locale.ROOT, "%s users, %s s warm-up + %s s measured per configuration%s, "
                        + "2 embedded Tomcat nodes each, %d cores, %s", options.get("users"), options.get("warmup"),
                options.get("duration"), "1".equals(options.get("rounds")) ? ""
                        : " and round, median of " + options.get("rounds") + " rounds", Runtime.getRuntime().availableProcessors(), Instant.now().toString()
                        .substring(0, 16).replace('T', ' ') + " UTC");
        String report = report(rows, workload, subtitle, redisVersion, options.get("heap-sessions"), work.page())
                + (sweepRows.isEmpty() ? "" : "\n## Concurrency sweep\n\n" + SweepTable.markdown(sweepRows)
                        + "\n" + ResultsTable.targets(Targets.sweep(sweepRows)));
        Files.writeString(out.resolve("http-results.md"), report);
        ThroughputChart.write(rows, subtitle, out.resolve("http-throughput.png"));
        System.out.println();
        System.out.println(report);
        System.out.println("written: " + out.resolve("http-results.md") + ", " + out.resolve("http-throughput.png"));
    }

    /**
     * The concurrency sweep: the baseline and the scenarios {@code --sweep-only} names, at each user count, load
     * only (no requests alone, no heap, no runs by kind), with the same rounds and rotation as the main table.
     */
    private static Map<Integer, List<Row>> sweep(List<Integer> counts, RedisServer redis, Map<String, String> options,
            Path logs, int rounds) {
        Map<Integer, List<Row>> result = new LinkedHashMap<>();
        if (counts.isEmpty()) {
            return result;
        }
        Pattern only = Pattern.compile(options.get("sweep-only"));
        List<Scenario> scenarios = Scenarios.all().stream().filter(s -> !s.isPending())
                .filter(s -> s.name().equals(Scenarios.BASELINE) || only.matcher(s.id()).find()).toList();
        for (int users : counts) {
            Map<String, List<Measurement>> measured = new HashMap<>();
            Map<String, String> failures = new HashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < scenarios.size(); k++) {
                    Scenario s = scenarios.get((k + round) % scenarios.size());
                    System.out.printf("%n=== sweep %d users, round %d/%d: %s ===%n", users, round + 1, rounds, s.name());
                    try {
                        Measurement m = runChild(s, redis, options, logs, false, users, "-sweep-" + users);
                        measured.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(m);
                        System.out.printf("    %,.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d%n", m.throughput(),
                                m.p50Micros() / 1000.0, m.p99Micros() / 1000.0, m.errors());
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        failures.putIfAbsent(s.name(), "failed: " + e.getMessage());
                        System.out.println("    FAILED: " + e.getMessage());
                    }
                }
            }
            result.put(users, Rounds.rows(scenarios, measured, failures));
        }
        return result;
    }

    private static List<Integer> sweepCounts(String text) {
        List<Integer> counts = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                int users = Integer.parseInt(part.strip());
                if (users < 1) {
                    throw new IllegalArgumentException("--sweep takes user counts >= 1, got " + text);
                }
                counts.add(users);
            }
        }
        return counts;
    }

    /**
     * @param firstRound the main table's first round: requests alone, heap and runs by kind too; otherwise load only
     */
    private static Measurement runChild(Scenario s, RedisServer redis, Map<String, String> options, Path logs,
            boolean firstRound, int users, String suffix) throws IOException, InterruptedException {
        Path result = logs.resolve(s.id() + suffix + ".properties");
        Path log = logs.resolve(s.id() + suffix + (firstRound || !suffix.isEmpty() ? "" : "-more-rounds") + ".log");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(options.get("jvm").trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScenarioRun.class.getName(), s.id(),
                Integer.toString(redis.port()), options.get("cart-items"), Integer.toString(users),
                options.get("warmup"), options.get("duration"), firstRound ? options.get("heap-sessions") : "-1",
                result.toString(), options.get("mix"), options.get("shape"), options.get("page"),
                options.get("kind-seconds"), Long.toString(redis.pid())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long limit = Long.parseLong(options.get("warmup")) + Long.parseLong(options.get("duration")) + 180
                + (firstRound ? 4 * (Long.parseLong(options.get("kind-seconds")) + 1 + 60) : 0);
        if (!p.waitFor(limit, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + limit + " s, see " + log);
        }
        if (p.exitValue() != 0 || !Files.exists(result)) {
            throw new IOException("exit " + p.exitValue() + ", see " + log);
        }
        return Measurement.read(result);
    }

    private static String report(List<Row> rows, String workload, String subtitle, String redisVersion,
            String heapSessions, Workload.Page page) {
        return "# HTTP benchmark results\n\n"
                + "Generated by `benchmarks/run-http.sh`; do not edit by hand. " + subtitle + ", Redis "
                + redisVersion + ", Java " + System.getProperty("java.version") + ".\n\n"
                + workload + "\n\n"
                + ResultsTable.figures(rows) + "\n"
                + "Columns: *vs baseline* is throughput / StandardManager's throughput in this run. Under load: "
                + "*bytes to store* is what the nodes sent to Redis (`total_net_input_bytes`) or to each other "
                + "(Tribes messages, framed size) per request; *store cmds* the Redis commands per request as "
                + "`INFO commandstats` counts them (commands run inside Lua scripts included) or Tribes messages; "
                + "*store round trips* Redis socket reads (`total_reads_processed`: one per batch a client sends; "
                + "under load, commands of concurrent requests can share one) or Tribes messages. *Alone*: one "
                + "user, 100 requests of one kind with nothing else running, per request, background work of those "
                + "seconds included (batched touches, pings): round trips as above, *cmds* the commands the "
                + "clients sent (`MONITOR`, without those inside scripts), *reads* those of them that only read "
                + "session data (`GET`, `HGET`, `HGETALL`, `EXISTS`, ...). *heap MB / 10k sessions*: used heap of "
                + "the JVM holding both nodes after a full GC, before and after creating " + heapSessions
                + " more sessions, scaled to 10,000 (replicating managers hold copies on both nodes); *Redis MB*: "
                + "Redis `used_memory` likewise. "
                + "*misses*: requests whose session the manager no longer had. "
                + "JDBC rows: *bytes* what this JVM's connections sent to PostgreSQL, *round trips* their data "
                + "segments (one per driver write: a statement or a batch with its Sync), both from the kernel "
                + "(`ss -ti`: `bytes_sent`, `data_segs_out`); *cmds* transactions (`pg_stat_database` "
                + "`xact_commit + xact_rollback`, under load only: PostgreSQL publishes them up to seconds late, "
                + "so *n/a* alone; `pg_stat_statements` is not loaded). JGroups rows: bytes and messages the two "
                + "members' transports sent (`JGroupsMetrics`; headers, acknowledgements and heartbeats included), "
                + "*cmds* and *round trips* both messages. *reads*: Redis only. "
                + "*CPU µs / req*: CPU time over the measured window divided by its requests; *JVM* the "
                + "configuration's whole process (both nodes, their store clients and the load generator: "
                + "`OperatingSystemMXBean.getProcessCpuTime`), *server* the same less the load generator's threads "
                + "(`ThreadMXBean.getThreadCpuTime` of each virtual user's thread; the kernel's loopback TCP work "
                + "is charged to whichever thread sends), *store* redis-server (this run's own) plus every "
                + "`postgres` process of the machine (`/proc/<pid>/stat` utime + stime, 10 ms ticks). *By kind*: "
                + "after the mixed run, one short run per request kind (every request a read, then a small write, "
                + "then a new session, then an in-place change if the mix has them), the same users, each after "
                + "the store went quiet; server and store CPU per request of that run.\n\n"
                + "## Targets\n\n" + ResultsTable.targets(new Targets(rows, page).checks());
    }

    private static String workload(Workload work, Map<String, String> options) throws IOException {
        int cartItems = work.cartItems();
        Map<String, Object> session = work.shape().session(cartItems);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
            oos.writeObject(new LinkedHashMap<>(session));
        }
        int kryo = Codecs.create(CodecType.KRYO).encode(session).length;
        String shape = work.shape() == Workload.Shape.POJO
                ? String.format(Locale.ROOT, "`ShopModel.session(%d)` (%d attributes: a user profile, a cart of %d "
                        + "items, small values; classes of the application)", cartItems, session.size(), cartItems)
                : String.format(Locale.ROOT, "`MapSession.session(%d)` (%d attributes: a user HashMap, a cart of %d "
                        + "HashMaps with boxed Integer/Long values, a BigDecimal price and an ArrayList of tags each, "
                        + "small values; JDK classes only)", cartItems, session.size(), cartItems);
        String page = work.page() == Workload.Page.TRIVIAL ? "trivial page (answers \"ok\")"
                : String.format(Locale.ROOT, "render page (every request renders `CatalogPage`, %d passes, %.0f us of "
                        + "CPU per request on this machine, measured single-threaded before the run)",
                CatalogPage.PASSES, CatalogPage.microsPerRender());
        return String.format(Locale.ROOT, "Workload: %s, %,d bytes as Java serialization, %,d bytes with our Kryo "
                        + "codec; %s; request mix %s; %s virtual users, each one keep-alive connection per node it "
                        + "talks to and one request in flight; every node's connector %d request threads.", shape,
                bytes.size(), kryo, page, RequestMix.parse(options.get("mix")), options.get("users"),
                BenchEnv.threadsFor(Integer.parseInt(options.get("users"))));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>(DEFAULTS);
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("options are --name=value, got " + arg + "; names: "
                        + DEFAULTS.keySet());
            }
            String name = arg.substring(2, arg.indexOf('='));
            if (!DEFAULTS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; names: " + DEFAULTS.keySet());
            }
            options.put(name, arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }
}
