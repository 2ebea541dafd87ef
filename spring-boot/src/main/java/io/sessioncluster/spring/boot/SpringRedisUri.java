package io.sessioncluster.spring.boot;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Redis the application configured for Spring Data Redis, as the Redis store's {@code redisUri}. Read
 * from the {@code spring.data.redis.*} properties; {@code ConnectionDetailsRedisUri} reads Boot's connection
 * details instead when Spring Data Redis is present (they also cover Testcontainers and Docker Compose).
 */
final class SpringRedisUri implements Supplier<Map<String, String>> {

    private final Environment environment;

    SpringRedisUri(Environment environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, String> get() {
        Binder binder = Binder.get(environment);
        Optional<String> url = binder.bind("spring.data.redis.url", String.class).map(Optional::of).orElse(Optional.empty());
        if (url.isPresent()) {
            return Map.of("redisUri", url.get());
        }
        Optional<String> host = binder.bind("spring.data.redis.host", String.class).map(Optional::of).orElse(Optional.empty());
        Optional<Integer> port = binder.bind("spring.data.redis.port", Integer.class).map(Optional::of).orElse(Optional.empty());
        if (host.isEmpty() && port.isEmpty()) {
            return Map.of(); // nothing configured: the application does not use Redis itself
        }
        boolean ssl = binder.bind("spring.data.redis.ssl.enabled", Boolean.class).orElse(Boolean.FALSE);
        return Map.of("redisUri", uri(ssl, false,
                binder.bind("spring.data.redis.username", String.class).orElse(null),
                binder.bind("spring.data.redis.password", String.class).orElse(null),
                List.of(host.orElse("localhost") + ":" + port.orElse(6379)),
                binder.bind("spring.data.redis.database", Integer.class).orElse(0), null));
    }

    /** {@code redis[s][-sentinel]://[user:password@]host:port[,host:port]/database[#master]}, user and password encoded. */
    static String uri(boolean ssl, boolean sentinel, String username, String password, List<String> hostPorts,
                      int database, String master) {
        StringBuilder uri = new StringBuilder(ssl ? "rediss" : "redis").append(sentinel ? "-sentinel://" : "://");
        if (password != null && !password.isEmpty()) {
            if (username != null && !username.isEmpty()) {
                uri.append(encode(username)).append(':');
            }
            uri.append(encode(password)).append('@');
        }
        uri.append(String.join(",", hostPorts));
        if (database > 0 || sentinel) {
            uri.append('/').append(database);
        }
        if (master != null) {
            uri.append('#').append(master);
        }
        return uri.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
