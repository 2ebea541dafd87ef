package io.sessioncluster.benchmarks.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop load generator: {@link LoadSettings#users()} threads, each a virtual user with a cookie jar and
 * one request in flight. Sticky: user {@code i} always talks to node {@code i % nodes}. Non-sticky: a user
 * alternates between the nodes on every request, as a round-robin balancer would. A user starts with a new
 * session and starts another one whenever the mix draws {@link Op#NEW}.
 *
 * <p>Only requests that start and end inside the measured window count; {@code onWindowStart} and
 * {@code onWindowEnd} run at its edges (to read store counters and CPU time), while the users run.
 */
final class LoadGenerator {

    static final String PATH = "/shop?op=";

    private final String host;
    private final List<Integer> ports;
    private final boolean sticky;
    /** The users' threads of the current run, for their CPU time ({@link CpuClock}). */
    private volatile List<Thread> threads = List.of();

    LoadGenerator(String host, List<Integer> ports, boolean sticky) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no node to load");
        }
        this.host = host;
        this.ports = List.copyOf(ports);
        this.sticky = sticky;
    }

    LoadResult run(LoadSettings settings, Runnable onWindowStart, Runnable onWindowEnd) throws InterruptedException {
        Window window = new Window();
        List<User> users = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(settings.seed());
        for (int i = 0; i < settings.users(); i++) {
            User user = new User(i, settings.mix(), seeds.split(), window);
            users.add(user);
            Thread t = new Thread(user, "load-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        this.threads = List.copyOf(threads);
        threads.forEach(Thread::start);
        TimeUnit.MILLISECONDS.sleep(settings.warmup().toMillis());
        onWindowStart.run();
        long start = System.nanoTime();
        window.startNanos = start;
        window.open = true;
        TimeUnit.MILLISECONDS.sleep(settings.measure().toMillis());
        window.open = false;
        long end = System.nanoTime();
        onWindowEnd.run(); // users still running: their threads' CPU time is still readable
        window.stopped = true;
        for (Thread t : threads) {
            t.join(35_000);
        }
        LatencyHistogram latency = new LatencyHistogram();
        long requests = 0;
        long errors = 0;
        long misses = 0;
        long[] byOp = new long[Op.values().length];
        for (User u : users) {
            latency.add(u.latency);
            requests += u.requests;
            errors += u.errors;
            misses += u.misses;
            for (int i = 0; i < byOp.length; i++) {
                byOp[i] += u.byOp[i];
            }
        }
        return new LoadResult(requests, (end - start) / 1e9, latency, errors, misses,
                byOp[Op.READ.ordinal()], byOp[Op.WRITE.ordinal()], byOp[Op.NEW.ordinal()]);
    }

    /** The users' threads of the run in progress (read them in {@code onWindowStart} and {@code onWindowEnd}). */
    List<Thread> threads() {
        return threads;
    }

    /** Shared between the driver and the users; volatile fields are enough for a start and a stop signal. */
    private static final class Window {
        volatile boolean open;
        volatile boolean stopped;
        volatile long startNanos;
    }

    private final class User implements Runnable {
        private final RequestMix mix;
        private final SplittableRandom random;
        private final Window window;
        private final HttpConnection[] connections;
        private final int home;
        private final CookieJar cookies = new CookieJar();
        private final LatencyHistogram latency = new LatencyHistogram();
        private final long[] byOp = new long[Op.values().length];
        private long requests;
        private long errors;
        private long misses;
        private int turn;

        User(int index, RequestMix mix, SplittableRandom random, Window window) {
            this.mix = mix;
            this.random = random;
            this.window = window;
            this.connections = ports.stream().map(p -> new HttpConnection(host, p)).toArray(HttpConnection[]::new);
            this.home = index % ports.size();
            this.turn = home;
        }

        @Override
        public void run() {
            try {
                while (!window.stopped) {
                    Op op = cookies.isEmpty() ? Op.NEW : mix.next(random);
                    if (op == Op.NEW) {
                        cookies.clear();
                    }
                    HttpConnection connection = sticky ? connections[home] : connections[turn++ % connections.length];
                    long t0 = System.nanoTime();
                    boolean failed = false;
                    boolean miss = false;
                    try {
                        HttpConnection.Response r = connection.get(PATH + op.param, cookies);
                        failed = r.status() != 200;
                        miss = r.miss();
                    } catch (IOException e) {
                        failed = true;
                        cookies.clear();
                    }
                    long t1 = System.nanoTime();
                    if (window.open && t0 >= window.startNanos) {
                        requests++;
                        byOp[op.ordinal()]++;
                        latency.record((t1 - t0) / 1_000);
                        if (failed) {
                            errors++;
                        }
                        if (miss) {
                            misses++;
                        }
                    }
                }
            } finally {
                for (HttpConnection c : connections) {
                    c.close();
                }
            }
        }
    }
}
