package io.sessioncluster.benchmarks;

import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.AttributeCodecs;
import io.sessioncluster.core.codec.ClassAllowList;
import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.CodecType;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.config.WriteMode;
import io.sessioncluster.core.testing.ShopModel;

import java.util.List;
import java.util.Map;

/**
 * Builds the codecs the way the Manager does (through {@link AttributeCodecs}, with the default size limit and
 * an allow-list naming the model), and prints encoded sizes: {@code java -cp benchmarks.jar
 * io.sessioncluster.benchmarks.Codecs}.
 */
public final class Codecs {

    private Codecs() {
    }

    public static AttributeCodec create(CodecType type) {
        ClusterConfig config = new ClusterConfig("benchmark", WriteMode.SYNC, true, type,
                ClassAllowList.of(List.of(ShopModel.ALLOW)), false, 1 << 20, 10_000, 1, true, true, false, 10_000, 5_000, Settings.parse(List.of(), Map.of()));
        return AttributeCodecs.create(config, Codecs.class.getClassLoader());
    }

    public static void main(String[] args) {
        AttributeCodec kryo = create(CodecType.KRYO);
        AttributeCodec java = create(CodecType.JAVA);
        System.out.println("cart items | kryo bytes | java bytes | kryo/java");
        for (int items : new int[] {1, 20, 100}) {
            Map<String, Object> session = ShopModel.session(items);
            int k = kryo.encode(session).length;
            int j = java.encode(session).length;
            System.out.printf("%10d | %10d | %10d | %9.3f%n", items, k, j, (double) k / j);
        }
    }
}
