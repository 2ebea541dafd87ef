package io.sessioncluster.spring.boot;

import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Boot 3's {@link RedisConnectionDetails} as the Redis store's settings, like {@code ConnectionDetailsRedisUri} does
 * for Boot 4. Boot 3's details do not say whether TLS is on: {@code spring.data.redis.ssl.enabled} decides.
 */
final class Boot3ConnectionDetailsRedisUri implements Supplier<Map<String, String>> {

    private final Supplier<RedisConnectionDetails> details;
    private final boolean ssl;

    Boot3ConnectionDetailsRedisUri(Supplier<RedisConnectionDetails> details, boolean ssl) {
        this.details = details;
        this.ssl = ssl;
    }

    @Override
    public Map<String, String> get() {
        RedisConnectionDetails d = details.get();
        if (d == null) {
            return Map.of();
        }
        if (d.getSentinel() != null) {
            RedisConnectionDetails.Sentinel s = d.getSentinel();
            return Map.of("redisUri", SpringRedisUri.uri(ssl, true, d.getUsername(), d.getPassword(),
                    hostPorts(s.getNodes()), s.getDatabase(), s.getMaster()));
        }
        if (d.getCluster() != null) {
            return Map.of("redisUri", SpringRedisUri.uri(ssl, false, d.getUsername(), d.getPassword(),
                    hostPorts(d.getCluster().getNodes()), 0, null), "redisCluster", "true");
        }
        RedisConnectionDetails.Standalone s = d.getStandalone();
        return Map.of("redisUri", SpringRedisUri.uri(ssl, false, d.getUsername(), d.getPassword(),
                List.of(s.getHost() + ":" + s.getPort()), s.getDatabase(), null));
    }

    private static List<String> hostPorts(List<RedisConnectionDetails.Node> nodes) {
        return nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
    }
}
