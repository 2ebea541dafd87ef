package io.sessioncluster.benchmarks;

import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.Fingerprint;
import io.sessioncluster.core.config.CodecType;
import io.sessioncluster.core.testing.ShopModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the in-place mutation check costs a request that read two mutable attributes and changed nothing, side by
 * side in one run:
 * <ul>
 *   <li>{@code encodeAndHash}: each attribute encoded and its bytes hashed (the check before issue 13);</li>
 *   <li>{@code walk}: the codec's fingerprint, a walk over the graph hashing field values ({@code GraphFingerprint},
 *       the check now).</li>
 * </ul>
 * Two session shapes ({@code shape}): {@code pojo}, the HTTP benchmark's {@code user} and {@code cart} (a graph of
 * small POJOs pointing at each other, so each attribute's graph is the whole cart), and {@code maps}, a cart of 20
 * {@code HashMap}s with a {@code BigDecimal} price and a tag list each plus a profile map, as JSP and legacy
 * applications keep them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MutationCheckBenchmark {

    @Param({"pojo", "maps"})
    public String shape;

    private AttributeCodec codec;
    private Object first;
    private Object second;

    @Setup(Level.Trial)
    public void setUp() {
        codec = Codecs.create(CodecType.KRYO);
        if (shape.equals("maps")) {
            first = mapCart(20);
            second = profileMap();
        } else {
            Map<String, Object> session = ShopModel.session(14);
            first = session.get("cart");
            second = session.get("user");
        }
    }

    @Benchmark
    public long encodeAndHash() {
        return Fingerprint.of(codec.encode(first)) ^ Fingerprint.of(codec.encode(second));
    }

    @Benchmark
    public long walk() {
        return codec.fingerprint(first) ^ codec.fingerprint(second);
    }

    /** A cart as a list of maps with boxed values. */
    static List<Map<String, Object>> mapCart(int items) {
        List<Map<String, Object>> cart = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            Map<String, Object> item = new HashMap<>();
            item.put("sku", "SKU-" + (10_000 + i));
            item.put("name", "Item number " + i);
            item.put("quantity", 1 + i % 3);
            item.put("price", BigDecimal.valueOf(1999 + 100L * i, 2));
            item.put("addedAt", 1_700_000_000_000L + i);
            item.put("tags", new ArrayList<>(List.of("tag" + i % 4, "sale", "new")));
            cart.add(item);
        }
        return cart;
    }

    static Map<String, Object> profileMap() {
        Map<String, Object> profile = new HashMap<>();
        profile.put("userId", 42L);
        profile.put("name", "Alice Example");
        profile.put("email", "alice@example.com");
        profile.put("roles", new ArrayList<>(List.of("customer", "newsletter")));
        profile.put("preferences", new HashMap<>(Map.of("currency", "EUR", "language", "en", "pageSize", 20)));
        return profile;
    }
}
