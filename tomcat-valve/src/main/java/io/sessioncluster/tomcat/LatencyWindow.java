package io.sessioncluster.tomcat;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The latencies of one kind of store call over the last 30 to 60 seconds: percentiles and maximum. Calls record into
 * an HdrHistogram {@link Recorder} (wait-free, no allocation, no lock on the calling thread); readers and the
 * flusher's tick move what was recorded into the current of two 30-second slots, and the figures are taken from both
 * slots together. A dependency rather than our own histogram: HdrHistogram is what Micrometer itself records with,
 * its concurrency is proven, and the drop-in jar relocates it.
 *
 * <p>One significant digit (buckets 1/16 of a power of two wide: a figure is within about 6 % of the truth) keeps a
 * histogram of 1 us to 1 h at about 3.7 KB, five of them per operation; values past an hour are recorded as an hour.
 */
final class LatencyWindow {

    static final long SLOT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Figures are reused for this long while no call was recorded since: an idle operation is read dozens of times
     * in a row by a scrape. A busy one is computed anew each time (a few microseconds), so it never lags its count.
     */
    static final long FIGURES_TTL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int DIGITS = 1;

    /** Percentiles and maximum in milliseconds; zeros when nothing was recorded in the window. */
    record Figures(double p50, double p95, double p99, double max) {
        static final Figures NONE = new Figures(0, 0, 0, 0);
    }

    private final Recorder recorder = new Recorder(HIGHEST_MICROS, DIGITS);
    private final LongSupplier nanoClock;
    /** When the current slot ends: the tick's cheap check, read without the lock. */
    private volatile long slotEnd;

    // Guarded by this: the reader side.
    private Histogram previous = histogram();
    private Histogram current = histogram();
    private final Histogram interval = histogram();
    private final Histogram merged = histogram();
    private Figures figures;
    private long figuresAt;
    private long figuresCalls;

    LatencyWindow(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.slotEnd = nanoClock.getAsLong() + SLOT_NANOS;
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, DIGITS);
    }

    /** A call took {@code nanos}. Any thread; never blocks. */
    void record(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos, 0) / 1_000, HIGHEST_MICROS));
    }

    /** Starts a new slot if the current one is over; cheap when it is not. The flusher calls it every second. */
    void tick() {
        if (nanoClock.getAsLong() - slotEnd >= 0) {
            synchronized (this) {
                roll(nanoClock.getAsLong());
            }
        }
    }

    /**
     * The recent calls' figures.
     *
     * @param calls the operation's call count now: figures computed at the same count are reused for up to
     *              {@link #FIGURES_TTL_NANOS}
     */
    synchronized Figures figures(long calls) {
        long now = nanoClock.getAsLong();
        if (figures != null && calls == figuresCalls && now - figuresAt < FIGURES_TTL_NANOS) {
            return figures;
        }
        roll(now);
        merged.reset();
        merged.add(previous);
        merged.add(current);
        figures = merged.getTotalCount() == 0 ? Figures.NONE
                : new Figures(millis(merged.getValueAtPercentile(50)), millis(merged.getValueAtPercentile(95)),
                        millis(merged.getValueAtPercentile(99)), millis(merged.getMaxValue()));
        figuresAt = now;
        figuresCalls = calls;
        return figures;
    }

    /**
     * Moves what was recorded into the current slot and, once the slot is over, makes it the previous one. Ticks come
     * every second while the context runs, so a call lands in the slot it was made in; after a pause without ticks (a
     * stopped context) the calls made before it count as the previous slot's. Lock held.
     */
    private void roll(long now) {
        recorder.getIntervalHistogramInto(interval);
        current.add(interval);
        if (now - slotEnd < 0) {
            return;
        }
        Histogram oldest = previous;
        previous = current;
        current = oldest;
        current.reset();
        slotEnd = now + SLOT_NANOS;
        figures = null;
    }

    private static double millis(long micros) {
        return micros / 1_000.0;
    }
}
