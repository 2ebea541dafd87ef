package io.sessioncluster.benchmarks;

import io.sessioncluster.core.codec.AttributeCodec;
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

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kryo against Java serialization on one realistic session ({@link ShopModel#session}: a user profile with
 * addresses, roles and preferences, a cart of 20 items with prices, dates and tags, and a few strings and
 * numbers; about 6 KB as Java serialization), both codecs in one run so their ratio is measured under the
 * same conditions. {@code roundTrip} is what a replicated write costs end to end (encode on one node,
 * decode on another). The encoded size of the session is printed once per codec when the trial starts
 * ({@link Codecs#main} prints a size table without running JMH).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CodecBenchmark {

    @Param({"kryo", "java"})
    public String codec;

    private AttributeCodec attributeCodec;
    private Map<String, Object> session;
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() {
        session = ShopModel.session(20);
        attributeCodec = Codecs.create(CodecType.valueOf(codec.toUpperCase(Locale.ROOT)));
        encoded = attributeCodec.encode(session);
        if (!(attributeCodec.decode(encoded) instanceof Map<?, ?> decoded) || decoded.size() != session.size()) {
            throw new IllegalStateException(codec + " does not round-trip the session");
        }
        System.out.printf("%n[size] %s codec: session encodes to %d bytes%n", codec, encoded.length);
    }

    @Benchmark
    public Object roundTrip() {
        return attributeCodec.decode(attributeCodec.encode(session));
    }

    @Benchmark
    public byte[] encode() {
        return attributeCodec.encode(session);
    }

    @Benchmark
    public Object decode() {
        return attributeCodec.decode(encoded);
    }
}
