package io.sessioncluster.benchmarks.http;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The figures of one configuration from one run, as the child JVM hands them to the driver (a properties file).
 *
 * @param throughput         completed requests per second in the measured window
 * @param p50Micros          median latency
 * @param p99Micros          99th percentile latency
 * @param bytesPerRequest    bytes sent to the store (or between members) per request, under load
 * @param commandsPerRequest Redis commands per request under load ({@code cmdstat}, commands inside scripts
 *                           included), or Tribes messages
 * @param roundTripsPerRequest Redis socket reads (request batches) per request under load, or Tribes messages
 * @param readAlone          one read-only request, measured alone
 * @param writeAlone         one request changing one small attribute, measured alone
 * @param heapMbPer10k       JVM heap (all nodes) per 10,000 sessions; -1 not measured
 * @param storeMbPer10k      Redis memory per 10,000 sessions; -1 without Redis
 * @param cpu                CPU per request over the measured window of the mixed load
 * @param cpuByKind          server CPU per request, one request kind at a time (short runs after the mixed one)
 * @param storeCpuByKind     store processes' CPU per request, likewise
 */
record Measurement(double throughput, long p50Micros, long p99Micros, long requests, long errors, long misses,
        double bytesPerRequest, double commandsPerRequest, double roundTripsPerRequest, Alone readAlone,
        Alone writeAlone, double heapMbPer10k, double storeMbPer10k, Cpu cpu, ByKind cpuByKind,
        ByKind storeCpuByKind) {

    /**
     * What one request costs the store when nothing else runs, per request.
     *
     * @param roundTrips Redis socket reads, or Tribes messages
     * @param commands   commands sent by the client (not those inside scripts), or Tribes messages
     * @param reads      of those, commands that only read session data; -1 for Tribes
     */
    record Alone(double roundTrips, double commands, double reads) {
        static final Alone NONE = new Alone(-1, -1, -1);
    }

    /**
     * CPU microseconds per request over a measured window; -1 not measured.
     *
     * @param jvm    the configuration's JVM, all of it (its nodes, their clients, and the load generator)
     * @param server the JVM less the load generator's threads: the nodes' side
     * @param store  redis-server and PostgreSQL processes
     */
    record Cpu(double jvm, double server, double store) {
        static final Cpu NONE = new Cpu(-1, -1, -1);

        static Cpu of(CpuClock.Sample window, long requests) {
            double n = Math.max(1, requests) * 1_000.0;
            return new Cpu(window.jvm() / n, (window.jvm() - window.generator()) / n,
                    window.store() < 0 ? -1 : window.store() / n);
        }
    }

    /** One figure per request kind; -1 not measured. */
    record ByKind(double read, double write, double create, double mutate) {
        static final ByKind NONE = new ByKind(-1, -1, -1, -1);
    }

    /** The load figures of this run with the figures measured only in the first round (alone, heap, by kind). */
    Measurement withExtrasOf(Measurement first) {
        return new Measurement(throughput, p50Micros, p99Micros, requests, errors, misses, bytesPerRequest,
                commandsPerRequest, roundTripsPerRequest, first.readAlone, first.writeAlone, first.heapMbPer10k,
                first.storeMbPer10k, cpu, first.cpuByKind, first.storeCpuByKind);
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        put(p, "", this);
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "one configuration's figures");
        }
    }

    static Measurement read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return (Measurement) get(p, "", Measurement.class);
    }

    /** Record components as properties, nested records with dotted names. */
    private static void put(Properties p, String prefix, Record record) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(record);
                if (value instanceof Record nested) {
                    put(p, prefix + c.getName() + ".", nested);
                } else {
                    p.setProperty(prefix + c.getName(), String.valueOf(value));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The inverse of {@link #put}; a figure missing from the file (an older child) reads as -1. */
    private static Object get(Properties p, String prefix, Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            types[i] = t;
            String key = prefix + components[i].getName();
            if (t.isRecord()) {
                values[i] = get(p, key + ".", t);
            } else if (t == long.class) {
                values[i] = Long.parseLong(p.getProperty(key, "-1"));
            } else {
                values[i] = Double.parseDouble(p.getProperty(key, "-1"));
            }
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
