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
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import java.util.List;

/**
 * Clustered sessions for the embedded Tomcat of a servlet web application: installs a {@link ClusteredSessionManager}
 * configured from {@code session-cluster.*}, plus a health indicator and metrics when Actuator is present. Off with
 * {@code session-cluster.enabled=false}.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ClusteredSessionManager.class, TomcatServletWebServerFactory.class})
@ConditionalOnBooleanProperty(name = "session-cluster.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SessionClusterProperties.class)
@Import(SpringSecurityConfiguration.class)
public class SessionClusterAutoConfiguration {

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
    @ConditionalOnClass(DataRedisConnectionDetails.class)
    static class SpringDataRedisConfiguration {

        @Bean
        SpringConnection sessionClusterSpringRedis(ObjectProvider<DataRedisConnectionDetails> details,
                                                   Environment environment) {
            return SpringConnection.redis(SpringConnection.firstOf(new ConnectionDetailsRedisUri(details::getIfAvailable),
                    new SpringRedisUri(environment)));
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
                    new ConnectionDetailsJdbcSettings(details::getIfAvailable), new SpringDataSourceSettings(environment)));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnEnabledHealthIndicator("sessioncluster")
        SessionClusterHealthIndicator sessionClusterHealthIndicator(SessionClusterManagers managers,
                                                                    SessionClusterProperties properties) {
            return new SessionClusterHealthIndicator(new StorePing(managers, properties.store(), properties.healthTimeout()));
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
