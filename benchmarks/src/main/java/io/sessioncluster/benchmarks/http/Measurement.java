package io.sessioncluster.benchmarks.http;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
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
 */
record Measurement(double throughput, long p50Micros, long p99Micros, long requests, long errors, long misses,
        double bytesPerRequest, double commandsPerRequest, double roundTripsPerRequest, Alone readAlone,
        Alone writeAlone, double heapMbPer10k, double storeMbPer10k) {

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

    /** The load figures of this run with the figures measured only in the first round (alone, heap) of another. */
    Measurement withExtrasOf(Measurement first) {
        return new Measurement(throughput, p50Micros, p99Micros, requests, errors, misses, bytesPerRequest,
                commandsPerRequest, roundTripsPerRequest, first.readAlone, first.writeAlone, first.heapMbPer10k,
                first.storeMbPer10k);
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        for (RecordComponent c : Measurement.class.getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(this);
                if (value instanceof Alone a) {
                    p.setProperty(c.getName() + ".roundTrips", Double.toString(a.roundTrips()));
                    p.setProperty(c.getName() + ".commands", Double.toString(a.commands()));
                    p.setProperty(c.getName() + ".reads", Double.toString(a.reads()));
                } else {
                    p.setProperty(c.getName(), String.valueOf(value));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "one configuration's figures");
        }
    }

    static Measurement read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return new Measurement(d(p, "throughput"), l(p, "p50Micros"), l(p, "p99Micros"), l(p, "requests"),
                l(p, "errors"), l(p, "misses"), d(p, "bytesPerRequest"), d(p, "commandsPerRequest"),
                d(p, "roundTripsPerRequest"), alone(p, "readAlone"), alone(p, "writeAlone"), d(p, "heapMbPer10k"),
                d(p, "storeMbPer10k"));
    }

    private static Alone alone(Properties p, String prefix) {
        return new Alone(d(p, prefix + ".roundTrips"), d(p, prefix + ".commands"), d(p, prefix + ".reads"));
    }

    private static double d(Properties p, String key) {
        return Double.parseDouble(p.getProperty(key));
    }

    private static long l(Properties p, String key) {
        return Long.parseLong(p.getProperty(key));
    }
}
