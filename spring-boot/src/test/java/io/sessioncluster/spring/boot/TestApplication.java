package io.sessioncluster.spring.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The smallest servlet application: Boot's auto-configuration and nothing else. No DataSource: these tests reach no
 * database, and without one the starter reads {@code spring.datasource.*} itself.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
class TestApplication {

    /** Starts it with these environment variables (and no arguments) on a random port. */
    static ConfigurableApplicationContext start(Map<String, Object> environmentVariables) {
        SpringApplication app = application();
        // Boot maps names like environment variables only in a source named "systemEnvironment" or "...-systemEnvironment".
        app.addInitializers(context -> context.getEnvironment().getPropertySources().addFirst(
                new SystemEnvironmentPropertySource("test-systemEnvironment", environmentVariables)));
        return app.run(ARGS.toArray(String[]::new));
    }

    /** Starts it on a random port with {@code args} ({@code --name=value}). */
    static ConfigurableApplicationContext start(String... args) {
        List<String> all = new ArrayList<>(ARGS);
        all.addAll(List.of(args));
        return application().run(all.toArray(String[]::new));
    }

    private static final List<String> ARGS = List.of("--server.port=0", "--spring.main.banner-mode=off",
            "--logging.level.root=WARN");

    private static SpringApplication application() {
        SpringApplication app = new SpringApplication(TestApplication.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        return app;
    }
}
