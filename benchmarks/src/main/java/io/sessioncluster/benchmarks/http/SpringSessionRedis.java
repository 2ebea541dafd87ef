package io.sessioncluster.benchmarks.http;

import org.apache.catalina.session.StandardManager;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Spring Session on Redis as a plain servlet filter, wired as {@code @EnableRedisHttpSession} wires it (a
 * {@link RedisSessionRepository} over a {@link RedisTemplate} with string keys and JDK-serialized values, Lettuce,
 * default flush and save modes), no Spring Boot. Stateless nodes: run non-sticky.
 */
final class SpringSessionRedis {

    private SpringSessionRedis() {
    }

    static Scenario.Factory factory() {
        return env -> {
            List<AutoCloseable> factories = new ArrayList<>();
            try {
                return new Deployment(TwoNodes.start(env, false, i -> (tomcat, context) -> {
                    LettuceConnectionFactory connections =
                            new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", env.redisPort()));
                    connections.afterPropertiesSet();
                    connections.start();
                    factories.add(connections::destroy);
                    RedisTemplate<String, Object> template = new RedisTemplate<>();
                    template.setKeySerializer(RedisSerializer.string());
                    template.setHashKeySerializer(RedisSerializer.string());
                    template.setConnectionFactory(connections);
                    template.setBeanClassLoader(SpringSessionRedis.class.getClassLoader());
                    template.afterPropertiesSet();
                    RedisSessionRepository repository = new RedisSessionRepository(template);
                    FilterDef def = new FilterDef();
                    def.setFilterName("springSessionRepositoryFilter");
                    def.setFilter(new SessionRepositoryFilter<>(repository));
                    context.addFilterDef(def);
                    FilterMap map = new FilterMap();
                    map.setFilterName("springSessionRepositoryFilter");
                    map.addURLPattern("/*");
                    context.addFilterMap(map);
                    StandardManager unused = new StandardManager(); // Tomcat's own sessions are never asked for
                    unused.setPathname(null);
                    context.setManager(unused);
                }), new RedisInfo(env.redisPort()), factories);
            } catch (Exception | Error e) {
                for (AutoCloseable c : factories) {
                    c.close();
                }
                throw e;
            }
        };
    }
}
