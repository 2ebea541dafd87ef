package io.sessioncluster.benchmarks.http;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RequestMixTest {

    @Test
    void defaultMixIsEightyFifteenFive() {
        Map<Op, Integer> counts = new EnumMap<>(Op.class);
        SplittableRandom random = new SplittableRandom(7);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts.merge(RequestMix.DEFAULT.next(random), 1, Integer::sum);
        }
        assertThat(counts.get(Op.READ) / (double) draws).isCloseTo(0.80, within(0.005));
        assertThat(counts.get(Op.WRITE) / (double) draws).isCloseTo(0.15, within(0.005));
        assertThat(counts.get(Op.NEW) / (double) draws).isCloseTo(0.05, within(0.005));
    }

    @Test
    void sharesMustAddUpToOneHundred() {
        assertThatThrownBy(() -> new RequestMix(80, 15, 4)).hasMessageContaining("80/15/4");
        assertThatThrownBy(() -> new RequestMix(-1, 96, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RequestMix(100, 0, 0).next(new SplittableRandom(1))).isEqualTo(Op.READ);
    }

    @Test
    void parsesTheMixOptionAndRejectsMalformedOnes() {
        assertThat(RequestMix.parse("100/0/0")).isEqualTo(new RequestMix(100, 0, 0));
        assertThat(RequestMix.parse(" 80 / 15 / 5 ")).isEqualTo(RequestMix.DEFAULT);
        assertThatThrownBy(() -> RequestMix.parse("80/20")).hasMessageContaining("read/write/new");
        assertThatThrownBy(() -> RequestMix.parse("a/b/c")).hasMessageContaining("a/b/c");
        assertThatThrownBy(() -> RequestMix.parse("50/50/1")).hasMessageContaining("50/50/1");
    }

    @Test
    void aFourthShareIsInPlaceChanges() {
        RequestMix mix = RequestMix.parse("70/15/5/10");
        assertThat(mix).isEqualTo(new RequestMix(70, 15, 5, 10));
        assertThat(RequestMix.parse("80/15/5").mutatePercent()).isZero();
        assertThat(RequestMix.only(Op.MUTATE).next(new SplittableRandom(3))).isEqualTo(Op.MUTATE);
        assertThat(RequestMix.only(Op.NEW).next(new SplittableRandom(3))).isEqualTo(Op.NEW);
        assertThatThrownBy(() -> RequestMix.parse("70/15/5/11")).hasMessageContaining("70/15/5/11");
    }
}
