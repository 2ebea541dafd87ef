package io.sessioncluster.core.codec;

import io.sessioncluster.core.testing.ShopModel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ImmutableValuesTest {

    record UserId(String tenant, long id) {
    }

    record Login(UserId user, java.time.Instant at, ShopModel.Role role) {
    }

    record Tags(List<String> tags) {
    }

    record Bytes(byte[] bytes) {
    }

    record Counter(AtomicLong count) {
    }

    static final class Point {
        private final int x;
        private final int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    static class OpenPoint {
        final int x;

        OpenPoint(int x) {
            this.x = x;
        }
    }

    record Holder(OpenPoint point) {
    }

    static final class Mutable {
        int hits;
    }

    static final class Link {
        final String name;
        final Link next;

        Link(String name, Link next) {
            this.name = name;
            this.next = next;
        }
    }

    @Test
    void jdkValueTypesAndEnumsAreImmutable() {
        for (Object value : List.of("s", 1, 2L, new BigDecimal("1.5"), Currency.getInstance("EUR"),
                ZoneId.of("Europe/Paris"), java.time.YearMonth.of(2026, 11), ShopModel.Role.SUPPORT,
                ShopModel.Category.ELECTRONICS)) {
            assertThat(ImmutableValues.isImmutable(value)).as(value.getClass().getName()).isTrue();
        }
    }

    @Test
    void recordsAndFinalClassesOfImmutableFieldsAreImmutable() {
        assertThat(ImmutableValues.isImmutable(new UserId("t", 1))).isTrue();
        assertThat(ImmutableValues.isImmutable(new Login(new UserId("t", 1), java.time.Instant.EPOCH,
                ShopModel.Role.SUPPORT))).isTrue();
        assertThat(ImmutableValues.isImmutable(new Point(1, 2))).isTrue();
        assertThat(ImmutableValues.isImmutable(new OpenPoint(1))).as("the exact class of the value").isTrue();
        assertThat(ImmutableValues.isImmutable(new Link("a", new Link("b", null)))).as("a cycle of types").isTrue();
    }

    @Test
    void anythingThatCouldChangeIsNot() {
        assertThat(ImmutableValues.isImmutable(new Tags(List.of("x")))).as("an interface-typed field").isFalse();
        assertThat(ImmutableValues.isImmutable(new Bytes(new byte[1]))).as("an array").isFalse();
        assertThat(ImmutableValues.isImmutable(new Counter(new AtomicLong()))).as("a mutable JDK class").isFalse();
        assertThat(ImmutableValues.isImmutable(new Holder(new OpenPoint(1)))).as("an open class field").isFalse();
        assertThat(ImmutableValues.isImmutable(new Mutable())).as("a non-final field").isFalse();
        assertThat(ImmutableValues.isImmutable(new ArrayList<>())).isFalse();
        assertThat(ImmutableValues.isImmutable(new int[0])).isFalse();
        assertThat(ImmutableValues.isImmutable(ShopModel.session(2).get("cart"))).isFalse();
    }
}
