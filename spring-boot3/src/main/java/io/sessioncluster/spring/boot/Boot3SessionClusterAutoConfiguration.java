package io.sessioncluster.spring.boot;

import io.sessioncluster.tomcat.ClusteredSessionManager;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.jdbc.JdbcConnectionDetails;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import java.util.List;

/**
 * Spring Boot 3.5 (Tomcat 10.1): the same as the Boot 4 starter's auto-configuration, with Boot 3's types.
 * Clustered sessions for the embedded Tomcat of a servlet web application: installs a {@link ClusteredSessionManager}
 * configured from {@code session-cluster.*}, plus a health indicator and metrics when Actuator is present. Off with
 * {@code session-cluster.enabled=false}.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ClusteredSessionManager.class, TomcatServletWebServerFactory.class})
@ConditionalOnBooleanProperty(name = "session-cluster.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SessionClusterProperties.class)
@Import(SpringSecurityConfiguration.class)
public class Boot3SessionClusterAutoConfiguration {

    @Bean
    SessionClusterManagers sessionClusterManagers() {
        return new SessionClusterManagers();
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> sessionClusterTomcatCustomizer(
            SessionClusterProperties properties, SessionClusterManagers managers,
            ObjectProvider<SpringConnection> springConnections, Environment environment, ApplicationContext context) {
        return factory -> {
            ClusteredManagerInstaller installer = new ClusteredManagerInstaller(ResolvedSettings.forApplication(properties,
                    SpringConnection.withDefaults(springConnections.orderedStream(), environment), context.getClassLoader(),
                    applicationPackages(context)),
                    properties.jvmRoute(), managers);
            factory.addContextCustomizers(installer::customize);
        };
    }

    /** With Spring Data Redis, its connection details (properties, Testcontainers, Docker Compose) say where Redis is. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisConnectionDetails.class)
    static class SpringDataRedisConfiguration {

        @Bean
        SpringConnection sessionClusterSpringRedis(ObjectProvider<RedisConnectionDetails> details,
                                                   Environment environment) {
            Boot3ConnectionDetailsRedisUri fromDetails = new Boot3ConnectionDetailsRedisUri(details::getIfAvailable,
                    Boolean.TRUE.equals(environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class)));
            return SpringConnection.redis(SpringConnection.firstOf(fromDetails, new SpringRedisUri(environment)));
        }
    }

    /** With Boot's JDBC support, its connection details (properties, Testcontainers, Docker Compose) say where the database is. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcConnectionDetails.class)
    static class SpringJdbcConfiguration {

        @Bean
        SpringConnection sessionClusterSpringDataSource(ObjectProvider<JdbcConnectionDetails> details,
                                                        Environment environment) {
            return SpringConnection.dataSource(SpringConnection.firstOf(
                    new Boot3ConnectionDetailsJdbcSettings(details::getIfAvailable), new SpringDataSourceSettings(environment)));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnEnabledHealthIndicator("sessioncluster")
        Boot3HealthIndicator sessionClusterHealthIndicator(SessionClusterManagers managers,
                                                                    SessionClusterProperties properties) {
            return new Boot3HealthIndicator(new StorePing(managers, properties.store(), properties.healthTimeout()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {

        @Bean
        SessionClusterMetrics sessionClusterMetrics(SessionClusterManagers managers, SessionClusterProperties properties) {
            return new SessionClusterMetrics(managers, String.valueOf(properties.store()));
        }
    }

    /** The packages of the application's {@code @SpringBootApplication} (or {@code @AutoConfigurationPackage}). */
    private static List<String> applicationPackages(ApplicationContext context) {
        return AutoConfigurationPackages.has(context) ? AutoConfigurationPackages.get(context) : List.of();
    }
}
