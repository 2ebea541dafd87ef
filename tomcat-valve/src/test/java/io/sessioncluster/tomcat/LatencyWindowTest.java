package io.sessioncluster.tomcat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Percentiles of known latencies, and a window that forgets what is older than two slots. */
class LatencyWindowTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LatencyWindow window = new LatencyWindow(now::get);
    /** The operation's call count, as {@link OperationMeter} passes it: bumped with each call recorded. */
    private long calls;

    private void record(long nanos) {
        window.record(nanos);
        calls++;
    }

    private void advance(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void percentilesOfKnownLatenciesComeOutWithinTheHistogramsPrecision() {
        // 1 ms to 100 ms, once each, shuffled by striding: the order must not matter.
        for (int i = 0; i < 100; i++) {
            record(TimeUnit.MILLISECONDS.toNanos((i * 37) % 100 + 1));
        }
        LatencyWindow.Figures figures = window.figures(calls);
        assertThat(figures.p50()).isCloseTo(50, within(50 * 0.07));
        assertThat(figures.p95()).isCloseTo(95, within(95 * 0.07));
        assertThat(figures.p99()).isCloseTo(99, within(99 * 0.07));
        assertThat(figures.max()).isCloseTo(100, within(100 * 0.07));
    }

    @Test
    void aSlowOutlierShowsInTheTailOnly() {
        for (int i = 0; i < 990; i++) {
            record(TimeUnit.MICROSECONDS.toNanos(800));
        }
        for (int i = 0; i < 10; i++) {
            record(TimeUnit.MILLISECONDS.toNanos(250));
        }
        LatencyWindow.Figures figures = window.figures(calls);
        assertThat(figures.p50()).isCloseTo(0.8, within(0.8 * 0.07));
        assertThat(figures.p95()).isCloseTo(0.8, within(0.8 * 0.07));
        assertThat(figures.max()).isCloseTo(250, within(250 * 0.07));
    }

    @Test
    void nothingRecordedGivesZerosAndValuesPastAnHourAreCappedAtAnHour() {
        assertThat(window.figures(calls)).isEqualTo(LatencyWindow.Figures.NONE);
        record(TimeUnit.HOURS.toNanos(5));
        record(-1); // a clock step backwards: counted as no time
        advance(2);
        assertThat(window.figures(calls).max()).isCloseTo(3_600_000, within(3_600_000 * 0.07));
    }

    @Test
    void callsStayInTheWindowForOneToTwoSlotsThenAreForgotten() {
        record(TimeUnit.MILLISECONDS.toNanos(40));
        advance(20);
        window.tick(); // the slot is not over: nothing moves
        assertThat(window.figures(calls).max()).isCloseTo(40, within(3.0));

        advance(15); // 35 s: the first slot is over; its calls are the previous slot's now
        window.tick();
        record(TimeUnit.MILLISECONDS.toNanos(5));
        advance(2);
        assertThat(window.figures(calls).max()).as("40 ms is 37 s old: still in the window").isCloseTo(40, within(3.0));

        advance(30); // 67 s: the 40 ms call's slot is two slots back
        window.tick();
        advance(2);
        LatencyWindow.Figures figures = window.figures(calls);
        assertThat(figures.max()).as("only the 5 ms call remains").isCloseTo(5, within(0.5));

        advance(31);
        window.tick();
        advance(2);
        assertThat(window.figures(calls)).isEqualTo(LatencyWindow.Figures.NONE);
    }

    @Test
    void figuresAreReusedWithinASecondOnlyWhileNoCallWasCounted() {
        record(TimeUnit.MILLISECONDS.toNanos(10));
        LatencyWindow.Figures first = window.figures(calls);
        assertThat(window.figures(calls)).as("no call since: the same figures").isSameAs(first);
        record(TimeUnit.MILLISECONDS.toNanos(900));
        assertThat(window.figures(calls).max()).as("a call since: computed anew").isCloseTo(900, within(900 * 0.07));
        LatencyWindow.Figures second = window.figures(calls);
        advance(1);
        assertThat(window.figures(calls)).as("a second later: computed anew").isNotSameAs(second)
                .isEqualTo(second);
    }
}
