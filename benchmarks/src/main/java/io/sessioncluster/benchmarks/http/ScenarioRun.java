package io.sessioncluster.benchmarks.http;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one configuration in a JVM of its own (so heap, JIT and class loading of one product never touch
 * another's) and writes its {@link Measurement}: the load run, then each request kind alone for its round trips,
 * then the heap of 10,000 more sessions. Started by {@link HttpBenchmark}; arguments:
 * {@code <scenario-id> <redis-port> <cart-items> <users> <warmup-s> <measure-s> <heap-sessions> <out-file> <mix>
 * <shape> <page> <kind-seconds> <redis-pid>};
 * {@code heap-sessions} 0 skips the heap, -1 the requests alone and the runs by request kind too (later rounds and
 * the sweep: load only); {@code kind-seconds} 0 skips the runs by request kind.
 *
 * <p>CPU: this JVM's process CPU time ({@link CpuClock}) over each measured window, less the load generator's
 * threads' own CPU time, per request; the store's processes (redis-server, postgres) from {@code /proc}.
 */
public final class ScenarioRun {

    private static final int PROBE_REQUESTS = 100;
    /** Long enough for a batched touch (about once a second) and an async write to reach the store. */
    private static final long SETTLE_MILLIS = 1_500;

    private ScenarioRun() {
    }

    public static void main(String[] args) throws Exception {
        Scenario scenario = Scenarios.byId(args[0]);
        int users = Integer.parseInt(args[3]);
        BenchEnv env = new BenchEnv(Integer.parseInt(args[1]),
                Workload.parse(Integer.parseInt(args[2]), args[9], args[10]), BenchEnv.threadsFor(users));
        LoadSettings load = new LoadSettings(users, Duration.ofSeconds(Long.parseLong(args[4])),
                Duration.ofSeconds(Long.parseLong(args[5])), RequestMix.parse(args[8]), 42);
        int heapSessions = Integer.parseInt(args[6]);
        Path out = Path.of(args[7]);
        int kindSeconds = Integer.parseInt(args[11]);
        CpuClock clock = new CpuClock(Long.parseLong(args[12]));
        new RedisInfo(env.redisPort()).flushAll();
        try (Deployment deployment = scenario.factory().start(env)) {
            Measurement m = measure(scenario, deployment, load, heapSessions, env.redisPort(), clock, kindSeconds);
            m.write(out);
            System.out.println("[result] " + scenario.name() + ": " + m);
        }
        System.exit(0); // client libraries may leave non-daemon threads behind
    }

    private static Measurement measure(Scenario scenario, Deployment deployment, LoadSettings load, int heapSessions,
            int redisPort, CpuClock clock, int kindSeconds)
            throws Exception {
        StoreProbe probe = deployment.probe();
        AtomicReference<StoreCounters> before = new AtomicReference<>();
        AtomicReference<StoreCounters> after = new AtomicReference<>();
        AtomicReference<Map<String, Long>> callsBefore = new AtomicReference<>();
        AtomicReference<Map<String, Long>> callsAfter = new AtomicReference<>();
        AtomicReference<CpuClock.Sample> cpuBefore = new AtomicReference<>();
        AtomicReference<CpuClock.Sample> cpuAfter = new AtomicReference<>();
        long[][] userSystem = new long[2][];
        LoadGenerator generator = new LoadGenerator("127.0.0.1", deployment.ports(), scenario.sticky());
        LoadResult result = generator.run(load, () -> {
            callsBefore.set(probe.commandCalls());
            before.set(probe.counters());
            cpuBefore.set(clock.read(generator.threads()));
            userSystem[0] = CpuClock.selfUserSystem();
        }, () -> {
            cpuAfter.set(clock.read(generator.threads()));
            userSystem[1] = CpuClock.selfUserSystem();
            after.set(probe.counters());
            callsAfter.set(probe.commandCalls());
        });
        StoreCounters window = after.get().minus(before.get());
        Measurement.Cpu cpu = Measurement.Cpu.of(cpuAfter.get().minus(cpuBefore.get()), result.requests());
        double n = Math.max(1, result.requests());
        System.out.printf("[load] %s: %d requests in %.1f s, %.0f/s, errors %d, misses %d, store %s%n",
                scenario.name(), result.requests(), result.seconds(), result.throughput(), result.errors(),
                result.misses(), window);
        System.out.println("[load] commands per request: " + perRequest(callsBefore.get(), callsAfter.get(),
                result.requests()));
        long user = userSystem[1][0] - userSystem[0][0];
        long system = userSystem[1][1] - userSystem[0][1];
        System.out.printf(Locale.ROOT, "[cpu] us per request: jvm %.1f, server %.1f, store %.1f; the JVM's CPU in "
                        + "user mode %.0f%%, in the kernel %.0f%% (/proc/self/stat)%n", cpu.jvm(), cpu.server(),
                cpu.store(), 100.0 * user / Math.max(1, user + system), 100.0 * system / Math.max(1, user + system));

        boolean loadOnly = heapSessions < 0;
        Measurement.ByKind[] byKind = loadOnly || kindSeconds <= 0
                ? new Measurement.ByKind[] {Measurement.ByKind.NONE, Measurement.ByKind.NONE}
                : byKind(scenario, deployment, load, clock, kindSeconds);
        if (!loadOnly) {
            awaitQuietStore(probe);
        }
        Measurement.Alone perRead = loadOnly ? Measurement.Alone.NONE : alone(deployment, scenario.sticky(), Op.READ,
                redisPort);
        Measurement.Alone perWrite = loadOnly ? Measurement.Alone.NONE : alone(deployment, scenario.sticky(), Op.WRITE,
                redisPort);

        double[] heap = heapPer10k(deployment, heapSessions);
        return new Measurement(result.throughput(), result.latency().percentile(50), result.latency().percentile(99),
                result.requests(), result.errors(), result.misses(), window.bytesIn() / n, window.commands() / n,
                window.roundTrips() / n, perRead, perWrite, heap[0], heap[1], cpu, byKind[0], byKind[1]);
    }

    /**
     * CPU per request of each request kind alone: after the mixed run, one short run per kind (every request of
     * that kind, the same users, 1 s warm-up, {@code seconds} measured), each after the store has gone quiet.
     * In-place changes only if the mix has them. Returns {server, store} microseconds per request.
     */
    private static Measurement.ByKind[] byKind(Scenario scenario, Deployment deployment, LoadSettings load,
            CpuClock clock, int seconds) throws InterruptedException {
        double[] server = {-1, -1, -1, -1};
        double[] store = {-1, -1, -1, -1};
        for (Op op : Op.values()) {
            if (op == Op.MUTATE && load.mix().mutatePercent() == 0) {
                continue;
            }
            awaitQuietStore(deployment.probe());
            LoadGenerator generator = new LoadGenerator("127.0.0.1", deployment.ports(), scenario.sticky());
            AtomicReference<CpuClock.Sample> start = new AtomicReference<>();
            AtomicReference<CpuClock.Sample> end = new AtomicReference<>();
            LoadResult r = generator.run(new LoadSettings(load.users(), Duration.ofSeconds(1),
                            Duration.ofSeconds(seconds), RequestMix.only(op), load.seed()),
                    () -> start.set(clock.read(generator.threads())), () -> end.set(clock.read(generator.threads())));
            Measurement.Cpu cpu = Measurement.Cpu.of(end.get().minus(start.get()), r.requests());
            server[op.ordinal()] = cpu.server();
            store[op.ordinal()] = cpu.store();
            System.out.printf(Locale.ROOT, "[kind] %s alone: %.0f req/s, p99 %.2f ms, cpu us per request: jvm %.1f, "
                            + "server %.1f, store %.1f, errors %d, misses %d%n", op, r.throughput(),
                    r.latency().percentile(99) / 1000.0, cpu.jvm(), cpu.server(), cpu.store(), r.errors(), r.misses());
        }
        return new Measurement.ByKind[] {new Measurement.ByKind(server[0], server[1], server[2], server[3]),
                new Measurement.ByKind(store[0], store[1], store[2], store[3])};
    }

    private static Map<String, String> perRequest(Map<String, Long> before, Map<String, Long> after, long requests) {
        Map<String, String> rates = new TreeMap<>();
        after.forEach((command, calls) -> {
            long delta = calls - before.getOrDefault(command, 0L);
            if (delta > 0) {
                rates.put(command, String.format(Locale.ROOT, "%.3f", delta / (double) Math.max(1, requests)));
            }
        });
        return rates;
    }

    /**
     * Waits (up to 60 s) until the store sees almost nothing (at most 5 commands in half a second: batched touches,
     * pings), so a write-behind backlog of the load run is not counted against the requests measured alone.
     */
    private static void awaitQuietStore(StoreProbe probe) throws InterruptedException {
        long start = System.nanoTime();
        long last = probe.activity();
        while (System.nanoTime() - start < 60_000_000_000L) {
            Thread.sleep(500);
            long now = probe.activity();
            if (now - last <= 5) {
                break;
            }
            last = now;
        }
        System.out.printf("[settle] store quiet %.1f s after the load run%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * One user, one session, {@link #PROBE_REQUESTS} requests of one kind with nothing else running: round trips
     * from the store's counters, commands as the clients sent them ({@link RedisMonitor}).
     */
    private static Measurement.Alone alone(Deployment deployment, boolean sticky, Op op, int redisPort)
            throws Exception {
        List<Integer> ports = deployment.ports();
        List<HttpConnection> connections = new ArrayList<>();
        ports.forEach(p -> connections.add(new HttpConnection("127.0.0.1", p)));
        CookieJar cookies = new CookieJar();
        StoreProbe probe = deployment.probe();
        boolean redis = probe instanceof RedisInfo;
        try {
            connections.get(0).get(LoadGenerator.PATH + Op.NEW.param, cookies);
            if (!sticky) {
                // One pass over the other node first, so that its first load of the session is not counted.
                for (HttpConnection c : connections) {
                    c.get(LoadGenerator.PATH + Op.READ.param, cookies);
                }
            }
            Thread.sleep(SETTLE_MILLIS);
            Map<String, Long> calls;
            StoreCounters delta;
            try (RedisMonitor monitor = redis ? RedisMonitor.start(redisPort) : null) {
                StoreCounters start = probe.counters();
                for (int i = 0; i < PROBE_REQUESTS; i++) {
                    HttpConnection c = sticky ? connections.get(0) : connections.get(i % connections.size());
                    c.get(LoadGenerator.PATH + op.param, cookies);
                }
                Thread.sleep(SETTLE_MILLIS);
                delta = probe.counters().minus(start);
                calls = monitor == null ? Map.of() : monitor.calls();
            }
            double n = PROBE_REQUESTS;
            if (!redis) {
                System.out.println("[alone] " + op + ": " + delta);
                return new Measurement.Alone(delta.roundTrips() / n, probe.liveCommands() ? delta.commands() / n : -1,
                        delta.readCommands() < 0 ? -1 : delta.readCommands() / n);
            }
            long commands = calls.values().stream().mapToLong(Long::longValue).sum();
            long reads = calls.entrySet().stream().filter(e -> RedisInfo.READS.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            System.out.println("[alone] " + op + ": " + delta + ", client commands per request: "
                    + perRequest(Map.of(), calls, PROBE_REQUESTS));
            return new Measurement.Alone(delta.roundTrips() / n, commands / n, reads / n);
        } finally {
            connections.forEach(HttpConnection::close);
        }
    }

    /** {heap MB, store MB} per 10,000 sessions: used heap after a full GC, before and after creating them. */
    private static double[] heapPer10k(Deployment deployment, int sessions) throws Exception {
        if (sessions <= 0) {
            return new double[] {-1, -1};
        }
        Thread.sleep(SETTLE_MILLIS);
        long heapBefore = usedHeapAfterGc();
        long storeBefore = deployment.probe().storeMemoryBytes();
        List<Integer> ports = deployment.ports();
        int threads = 4;
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread w = new Thread(() -> {
                try (HttpConnection c = new HttpConnection("127.0.0.1", ports.get(index % ports.size()))) {
                    CookieJar cookies = new CookieJar();
                    for (int i = index; i < sessions; i += threads) {
                        cookies.clear();
                        c.get(LoadGenerator.PATH + Op.NEW.param, cookies);
                    }
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        Thread.sleep(2 * SETTLE_MILLIS);
        long heapAfter = usedHeapAfterGc();
        long storeAfter = deployment.probe().storeMemoryBytes();
        double scale = 10_000.0 / sessions / (1024 * 1024);
        return new double[] {(heapAfter - heapBefore) * scale,
                storeBefore < 0 ? -1 : (storeAfter - storeBefore) * scale};
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
