package io.sessioncluster.core.codec;

import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.CodecType;
import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.config.WriteMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AttributeCodecsTest {

    private static ClusterConfig config(CodecType codec) {
        return new ClusterConfig("test", WriteMode.SYNC, true, codec, ClassAllowList.parse(""), true, 4096, 10, 1, true, true, false, 10_000, 5_000,
                Settings.parse(List.of(), Map.of()));
    }

    @Test
    void createsTheConfiguredCodecBoundToTheLoader() {
        AttributeCodec kryo = AttributeCodecs.create(config(CodecType.KRYO), getClass().getClassLoader());
        AttributeCodec java = AttributeCodecs.create(config(CodecType.JAVA), getClass().getClassLoader());

        assertThat(kryo).isInstanceOf(KryoAttributeCodec.class);
        assertThat(java).isInstanceOf(JavaAttributeCodec.class);
        assertThat(kryo.encode("v")[0]).isEqualTo((byte) 'K');
        assertThat(java.encode("v")[0]).isEqualTo((byte) 'J');
        assertThat(kryo.decode(kryo.encode(List.of("v")))).isEqualTo(List.of("v"));
    }
}
