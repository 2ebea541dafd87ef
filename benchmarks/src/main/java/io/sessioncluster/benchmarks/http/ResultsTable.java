package io.sessioncluster.benchmarks.http;

import java.util.List;
import java.util.Locale;

/** The results as Markdown: the figures of every row, then the targets. */
final class ResultsTable {

    private ResultsTable() {
    }

    static String figures(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| configuration | routing | req/s | vs baseline | p50 ms | p99 ms | bytes to store / req "
                + "| store cmds / req | store round trips / req | read-only request alone: round trips / cmds / reads "
                + "| write request alone: round trips / cmds | heap MB / 10k sessions | Redis MB / 10k sessions "
                + "| errors / misses | CPU µs / req: JVM / server / store | server CPU µs / req by kind: read / "
                + "write / new / in-place | store CPU µs / req by kind: read / write / new / in-place |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            Scenario s = row.scenario();
            sb.append("| ").append(s.name()).append(" | ").append(s.sticky() ? "sticky" : "non-sticky").append(" | ");
            if (!row.hasFigures()) {
                sb.append(row.problem()).append(" |  |  |  |  |  |  |  |  |  |  |  |  |  |  |\n");
                continue;
            }
            Measurement m = row.measurement();
            Measurement.Alone r = m.readAlone();
            Measurement.Alone w = m.writeAlone();
            sb.append(String.format(Locale.ROOT,
                    "%,.0f | **%.2f** | %.2f | %.2f | %s | %s | %s | %s / %s / %s | %s / %s | %s | %s | %d / %d "
                            + "| %s | %s | %s |%n",
                    m.throughput(), row.ratio(), m.p50Micros() / 1000.0, m.p99Micros() / 1000.0,
                    num(m.bytesPerRequest(), 0), num(m.commandsPerRequest(), 2), num(m.roundTripsPerRequest(), 2),
                    num(r.roundTrips(), 2), num(r.commands(), 2), num(r.reads(), 2), num(w.roundTrips(), 2),
                    num(w.commands(), 2), num(m.heapMbPer10k(), 1), num(m.storeMbPer10k(), 1), m.errors(),
                    m.misses(), cpu(m.cpu()), kinds(m.cpuByKind()), kinds(m.storeCpuByKind())));
        }
        return sb.toString();
    }

    static String targets(List<Targets.Check> checks) {
        StringBuilder sb = new StringBuilder("| target | measured | holds |\n|---|---|---|\n");
        for (Targets.Check c : checks) {
            sb.append("| ").append(c.target()).append(" | ").append(c.measured()).append(" | ")
                    .append(c.holds() == null ? "not measured" : c.holds() ? "yes" : "**no**").append(" |\n");
        }
        return sb.toString();
    }

    private static String cpu(Measurement.Cpu c) {
        return num(c.jvm(), 1) + " / " + num(c.server(), 1) + " / " + num(c.store(), 1);
    }

    /** The in-place kind only when it was measured (the mix had it). */
    private static String kinds(Measurement.ByKind k) {
        return num(k.read(), 1) + " / " + num(k.write(), 1) + " / " + num(k.create(), 1)
                + (k.mutate() < 0 ? "" : " / " + num(k.mutate(), 1));
    }

    /** -1 means "does not apply" ({@code n/a}). */
    private static String num(double value, int decimals) {
        if (value < 0 && value > -1.0001 && value < -0.9999) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
