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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the in-place mutation check costs a request that read {@code user} and {@code cart} of the HTTP benchmark's
 * session (they point at each other, so each one's graph is the whole cart), the ways {@code ChangeSetBuilder} can
 * do it, side by side in one run:
 * <ul>
 *   <li>{@code eachAlone}: each attribute encoded alone and its bytes hashed (the check before the joint one, and
 *       still what runs when a read set was not verified before);</li>
 *   <li>{@code jointInPlace}: both encoded as one graph, hashed in the codec's buffer (what a request that changed
 *       nothing costs now).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MutationCheckBenchmark {

    private AttributeCodec codec;
    private Object user;
    private Object cart;

    @Setup(Level.Trial)
    public void setUp() {
        Map<String, Object> session = ShopModel.session(14);
        codec = Codecs.create(CodecType.KRYO);
        user = session.get("user");
        cart = session.get("cart");
    }

    @Benchmark
    public long eachAlone() {
        return Fingerprint.of(codec.encode(cart)) ^ Fingerprint.of(codec.encode(user));
    }

    @Benchmark
    public long jointInPlace() {
        return codec.fingerprint(Arrays.asList(cart, user));
    }
}
