package io.sessioncluster.benchmarks.http;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The concurrency sweep as Markdown: for each user count, each configuration's throughput relative to the
 * baseline at the same count, that ratio relative to the configuration's own at the sweep's first count, and its
 * p99 relative to the baseline's p99 at the same count.
 */
final class SweepTable {

    private SweepTable() {
    }

    static String markdown(Map<Integer, List<Row>> byUsers) {
        StringBuilder sb = new StringBuilder();
        sb.append("| users | configuration | req/s | vs baseline | vs its ratio at ")
                .append(byUsers.keySet().iterator().next())
                .append(" users | p50 ms | p99 ms | p99 / baseline's p99 | errors / misses |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Double> firstRatio = new HashMap<>();
        for (Map.Entry<Integer, List<Row>> e : byUsers.entrySet()) {
            Row baseline = e.getValue().stream().filter(r -> r.scenario().name().equals(Scenarios.BASELINE))
                    .filter(Row::hasFigures).findFirst().orElse(null);
            for (Row row : e.getValue()) {
                sb.append("| ").append(e.getKey()).append(" | ").append(row.scenario().name()).append(" | ");
                if (!row.hasFigures()) {
                    sb.append(row.problem()).append(" |  |  |  |  |  |  |\n");
                    continue;
                }
                Measurement m = row.measurement();
                firstRatio.putIfAbsent(row.scenario().name(), row.ratio());
                double p99Ratio = baseline == null ? Double.NaN
                        : m.p99Micros() / (double) Math.max(1, baseline.measurement().p99Micros());
                sb.append(String.format(Locale.ROOT, "%,.0f | **%.2f** | %.2f | %.2f | %.2f | %.2f | %d / %d |%n",
                        m.throughput(), row.ratio(), row.ratio() / firstRatio.get(row.scenario().name()),
                        m.p50Micros() / 1000.0, m.p99Micros() / 1000.0, p99Ratio, m.errors(), m.misses()));
            }
        }
        return sb.append("\nEach user count: the baseline and these configurations, load only, the same rounds as "
                + "above; *vs baseline* at the same user count; every node's connector has max(200, users) request "
                + "threads and as large an accept queue, the same for every configuration.\n").toString();
    }
}
