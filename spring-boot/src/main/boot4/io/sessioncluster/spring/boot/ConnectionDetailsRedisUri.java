package io.sessioncluster.spring.boot;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Redis of Boot's {@link DataRedisConnectionDetails} (what Spring Data Redis connects to) as the Redis store's settings ({@code redisUri}, and {@code redisCluster} for a Cluster):
 * standalone, Sentinel or Cluster. Only loaded when Spring Data Redis is on the class path.
 */
final class ConnectionDetailsRedisUri implements Supplier<Map<String, String>> {

    private final Supplier<DataRedisConnectionDetails> details;

    ConnectionDetailsRedisUri(Supplier<DataRedisConnectionDetails> details) {
        this.details = details;
    }

    @Override
    public Map<String, String> get() {
        DataRedisConnectionDetails d = details.get();
        if (d == null) {
            return Map.of();
        }
        return d.getCluster() != null ? Map.of("redisUri", uri(d), "redisCluster", "true") : Map.of("redisUri", uri(d));
    }

    static String uri(DataRedisConnectionDetails d) {
        boolean ssl = d.getSslBundle() != null;
        if (d.getSentinel() != null) {
            DataRedisConnectionDetails.Sentinel s = d.getSentinel();
            return SpringRedisUri.uri(ssl, true, d.getUsername(), d.getPassword(), hostPorts(s.getNodes()),
                    s.getDatabase(), s.getMaster());
        }
        if (d.getCluster() != null) {
            return SpringRedisUri.uri(ssl, false, d.getUsername(), d.getPassword(), hostPorts(d.getCluster().getNodes()),
                    0, null);
        }
        DataRedisConnectionDetails.Standalone s = d.getStandalone();
        return SpringRedisUri.uri(ssl, false, d.getUsername(), d.getPassword(), List.of(s.getHost() + ":" + s.getPort()),
                s.getDatabase(), null);
    }

    private static List<String> hostPorts(List<DataRedisConnectionDetails.Node> nodes) {
        return nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
    }
}
