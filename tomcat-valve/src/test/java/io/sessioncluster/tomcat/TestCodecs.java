package io.sessioncluster.tomcat;

import io.sessioncluster.core.codec.AttributeCodec;
import io.sessioncluster.core.codec.AttributeCodecs;
import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.testkit.InMemorySessionStoreProvider;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** A real codec for unit tests, configured as a {@code <Manager>} would be (over the in-memory store). */
final class TestCodecs {

    private TestCodecs() {
    }

    /** @param settings core settings as name/value pairs ({@code "codec", "java"}); admission as the manager's */
    static AttributeCodec of(Predicate<String> admission, String... settings) {
        InMemorySessionStoreProvider memory = new InMemorySessionStoreProvider();
        Map<String, String> raw = new HashMap<>();
        raw.put("store", memory.name());
        for (int i = 0; i + 1 < settings.length; i += 2) {
            raw.put(settings[i], settings[i + 1]);
        }
        ClusterConfig config = ClusterConfig.parse(raw, Map.of(memory.name(), memory));
        return AttributeCodecs.create(config, TestCodecs.class.getClassLoader(), admission);
    }
}
