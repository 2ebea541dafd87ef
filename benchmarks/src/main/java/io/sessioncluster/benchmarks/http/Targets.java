package io.sessioncluster.benchmarks.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The targets of the issue, checked against one run's rows. A target whose rows are missing (pending, failed) is
 * reported as not measured rather than skipped.
 */
final class Targets {

    /** One line of the targets table. */
    record Check(String target, String measured, Boolean holds) {
    }

    private final List<Row> rows;

    Targets(List<Row> rows) {
        this.rows = rows;
    }

    List<Check> checks() {
        List<Check> checks = new ArrayList<>();
        checks.add(ratioAtLeast("sticky, async writes: >= 95% of baseline throughput", "ours Redis sticky async", 0.95));
        checks.add(ratioAtLeast("sticky Redis, sync writes: >= 85% of baseline", "ours Redis sticky sync", 0.85));
        checks.add(ratioAtLeast("non-sticky Redis (sync): >= 75% of baseline", "ours Redis non-sticky sync", 0.75));
        // The throughput targets are the issue's, stated for Redis; the other stores are held to the same bars.
        for (String store : List.of("JDBC (PostgreSQL)", "JGroups all", "JGroups primary-backup")) {
            checks.add(ratioAtLeast("sticky, async writes: >= 95% of baseline (" + store + ")",
                    "ours " + store + " sticky async", 0.95));
            checks.add(ratioAtLeast("sticky, sync writes: >= 85% of baseline (" + store + ")",
                    "ours " + store + " sticky sync", 0.85));
            checks.add(ratioAtLeast("non-sticky, sync writes: >= 75% of baseline (" + store + ")",
                    "ours " + store + " non-sticky sync", 0.75));
        }
        checks.add(timesAtLeast("ours sticky sync >= 1.5x Redisson (MEMORY, sticky)", "ours Redis sticky sync",
                "Redisson readMode=MEMORY sticky", 1.5));
        checks.add(timesAtLeast("ours non-sticky sync >= 1.5x Redisson (REDIS, non-sticky)",
                "ours Redis non-sticky sync", "Redisson readMode=REDIS non-sticky", 1.5));
        checks.add(timesAtLeast("ours non-sticky sync >= 1.5x Spring Session (non-sticky)",
                "ours Redis non-sticky sync", "Spring Session Redis (Spring Boot)", 1.5));
        checks.add(timesAtLeast("ours sticky async >= 1.2x DeltaManager (async)", "ours Redis sticky async",
                "Tomcat DeltaManager", 1.2));
        checks.add(bytesAtMostHalf("ours sticky async: <= half of DeltaManager's bytes per request",
                "ours Redis sticky async", "Tomcat DeltaManager"));
        for (String sticky : List.of("ours Redis sticky async", "ours Redis sticky sync")) {
            checks.add(check("sticky: zero store reads per request (" + sticky + ")", sticky,
                    m -> m.readAlone().reads() == 0 && m.writeAlone().reads() == 0,
                    m -> fmt(m.readAlone().reads()) + " per read-only request, " + fmt(m.writeAlone().reads())
                            + " per writing request"));
        }
        checks.add(bytesAtMostHalf("ours JGroups all sticky async: <= half of DeltaManager's bytes per request",
                "ours JGroups all sticky async", "Tomcat DeltaManager"));
        for (String ours : rows.stream().filter(r -> Scenarios.OURS.equals(r.scenario().family()))
                .map(r -> r.scenario().name()).toList()) {
            // Batched work the requests cause but do not wait for (a touch per node and second) is amortized over
            // the 100 requests; up to 0.05 per request of it is tolerated, and shown.
            checks.add(check("a request changing nothing: <= 1 store round trip (" + ours + ")", ours,
                    m -> m.readAlone().roundTrips() <= 1.05, m -> fmt(m.readAlone().roundTrips()) + " round trips, "
                            + fmt(m.readAlone().commands()) + " commands, " + fmt(m.readAlone().reads()) + " reads"));
        }
        return checks;
    }

    private Check ratioAtLeast(String target, String name, double min) {
        return find(name).map(r -> new Check(target, String.format(Locale.ROOT, "%.0f%% (%s the target by %.0f points)",
                        r.ratio() * 100, r.ratio() >= min ? "above" : "below", Math.abs(r.ratio() - min) * 100),
                        r.ratio() >= min))
                .orElse(new Check(target, "not measured", null));
    }

    /**
     * Compares the two rows' ratios to the baseline rather than their raw throughputs: with several rounds the two
     * medians may come from different rounds, and only the ratios share a reference.
     */
    private Check timesAtLeast(String target, String ours, String other, double min) {
        Optional<Row> a = find(ours);
        Optional<Row> b = find(other);
        if (a.isEmpty() || b.isEmpty()) {
            return new Check(target, "not measured", null);
        }
        double times = a.get().ratio() / b.get().ratio();
        return new Check(target, String.format(Locale.ROOT, "%.2fx (%.2f vs %.2f of baseline)%s", times,
                a.get().ratio(), b.get().ratio(), times >= min ? ""
                        : String.format(Locale.ROOT, ", %.0f%% short", (1 - times / min) * 100)), times >= min);
    }

    private Check bytesAtMostHalf(String target, String ours, String other) {
        Optional<Row> a = find(ours);
        Optional<Row> b = find(other);
        if (a.isEmpty() || b.isEmpty()) {
            return new Check(target, "not measured", null);
        }
        double share = a.get().measurement().bytesPerRequest() / b.get().measurement().bytesPerRequest();
        return new Check(target, String.format(Locale.ROOT, "%.0f vs %.0f bytes (%.2f of it)",
                a.get().measurement().bytesPerRequest(), b.get().measurement().bytesPerRequest(), share), share <= 0.5);
    }

    private Check check(String target, String name, java.util.function.Predicate<Measurement> test,
            Function<Measurement, String> shown) {
        return find(name).map(r -> new Check(target, shown.apply(r.measurement()), test.test(r.measurement())))
                .orElse(new Check(target, "not measured", null));
    }

    private Optional<Row> find(String name) {
        return rows.stream().filter(r -> r.scenario().name().equals(name) && r.hasFigures()).findFirst();
    }

    private static String fmt(double v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
