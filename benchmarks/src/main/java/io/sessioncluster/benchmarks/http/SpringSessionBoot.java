package io.sessioncluster.benchmarks.http;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spring Session on Redis as a Spring Boot application gets it: {@code spring-boot-starter-webmvc} and
 * {@code spring-boot-starter-session-data-redis}, auto-configuration and Boot's defaults (Lettuce, one shared
 * connection; {@code RedisSessionRepository}, the default repository type; JDK serialization of attributes;
 * flush mode on-save, save mode on-set-attribute); the application is the same {@link ShopServlet}, registered
 * as a servlet bean at {@code /shop}. Only what every configuration gets is set: the Redis port, a random HTTP
 * port, the connector's threads, accept queue and unlimited keep-alive requests. Two applications (two
 * contexts, two embedded Tomcats) in the configuration's JVM; stateless nodes: run non-sticky.
 */
final class SpringSessionBoot {

    private SpringSessionBoot() {
    }

    static Scenario.Factory factory() {
        return factory(Map.of());
    }

    /** With more Boot properties (documented tuning, e.g. {@code spring.session.redis.flush-mode}). */
    static Scenario.Factory factory(Map<String, String> extra) {
        return env -> {
            List<BootNode> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    nodes.add(BootNode.start(env, extra));
                }
                return new Deployment(nodes, new RedisInfo(env.redisPort()));
            } catch (Exception | Error e) {
                nodes.forEach(BootNode::close);
                throw e;
            }
        };
    }

    /** The application: Boot's auto-configuration and the shop servlet. */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ShopApplication {

        @Bean
        ServletRegistrationBean<ShopServlet> shopServlet(Workload workload) {
            return new ServletRegistrationBean<>(new ShopServlet(workload), "/shop");
        }
    }

    /** One running Boot application. */
    static final class BootNode implements Node {

        private final ConfigurableApplicationContext context;
        private final int port;

        private BootNode(ConfigurableApplicationContext context) {
            this.context = context;
            this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
        }

        static BootNode start(BenchEnv env, Map<String, String> extra) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("server.port", "0");
            properties.put("spring.data.redis.host", "127.0.0.1");
            properties.put("spring.data.redis.port", Integer.toString(env.redisPort()));
            properties.put("server.tomcat.threads.max", Integer.toString(env.connectorThreads()));
            properties.put("server.tomcat.accept-count", Integer.toString(env.connectorThreads()));
            properties.put("server.tomcat.max-keep-alive-requests", "-1");
            properties.put("spring.main.banner-mode", "off");
            properties.putAll(extra);
            ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class)
                    .properties(properties)
                    .initializers(c -> ((org.springframework.context.support.GenericApplicationContext) c)
                            .registerBean(Workload.class, env::workload))
                    .run();
            return new BootNode(context);
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
