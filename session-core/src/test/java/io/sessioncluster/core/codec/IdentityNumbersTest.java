package io.sessioncluster.core.codec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdentityNumbersTest {

    @Test
    void numbersObjectsByIdentityInOrderAcrossGrowthAndForgetsThemOnClear() {
        IdentityNumbers numbers = new IdentityNumbers(4);
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objects.add(new String("same")); // equal, never identical
        }
        for (Object o : objects) {
            assertThat(numbers.numberOrAdd(o)).isEqualTo(-1);
        }
        for (int i = 0; i < objects.size(); i++) {
            assertThat(numbers.numberOrAdd(objects.get(i))).isEqualTo(i);
        }
        numbers.clear();
        assertThat(numbers.numberOrAdd(objects.get(500))).as("forgotten").isEqualTo(-1);
        assertThat(numbers.numberOrAdd(objects.get(7))).isEqualTo(-1);
        assertThat(numbers.numberOrAdd(objects.get(500))).isZero();
        assertThat(numbers.numberOrAdd(objects.get(7))).isEqualTo(1);
    }
}
