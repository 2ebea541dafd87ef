package io.sessioncluster.benchmarks.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the measurements of one or more rounds into rows: in round {@code i} every configuration's throughput is
 * divided by the baseline's of round {@code i}; a row reports the median of these ratios and the load figures of
 * the round at (or, for an even count, just below) the median; the requests alone and the heap come from the first
 * round, the only one measuring them.
 */
final class Rounds {

    private Rounds() {
    }

    static List<Row> rows(List<Scenario> scenarios, Map<String, List<Measurement>> measured,
            Map<String, String> failures) {
        List<Measurement> baseline = measured.getOrDefault(Scenarios.BASELINE, List.of());
        List<Row> rows = new ArrayList<>();
        for (Scenario s : scenarios) {
            List<Measurement> runs = measured.getOrDefault(s.name(), List.of());
            if (s.isPending()) {
                rows.add(new Row(s, null, Double.NaN, "pending: " + s.note()));
            } else if (runs.isEmpty() || baseline.isEmpty()) {
                rows.add(new Row(s, null, Double.NaN, failures.getOrDefault(s.name(), "failed: baseline missing")));
            } else {
                rows.add(median(s, runs, baseline));
            }
        }
        return rows;
    }

    /** Pairs round {@code i} with baseline round {@code i}; rounds without a baseline figure are left out. */
    static Row median(Scenario s, List<Measurement> runs, List<Measurement> baseline) {
        record Ratio(double value, Measurement run) {
        }
        List<Ratio> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(runs.size(), baseline.size()); i++) {
            ratios.add(new Ratio(runs.get(i).throughput() / baseline.get(i).throughput(), runs.get(i)));
        }
        ratios.sort(Comparator.comparingDouble(Ratio::value));
        int n = ratios.size();
        Ratio middle = ratios.get((n - 1) / 2);
        double median = n % 2 == 1 ? middle.value() : (middle.value() + ratios.get(n / 2).value()) / 2;
        return new Row(s, middle.run().withExtrasOf(runs.get(0)), median, null);
    }
}
