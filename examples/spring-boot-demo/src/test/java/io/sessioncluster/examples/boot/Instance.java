package io.sessioncluster.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** One running instance of the demo application on a random port. */
record Instance(String name, ConfigurableApplicationContext context, int port) implements AutoCloseable {

    /** Starts the demo with {@code args} ({@code --name=value}) on top of its application.properties. */
    static Instance start(String name, String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--demo.node=" + name,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        all.addAll(List.of(args));
        ConfigurableApplicationContext context = new SpringApplication(DemoApplication.class)
                .run(all.toArray(String[]::new));
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        return new Instance(name, context, port);
    }

    @Override
    public void close() {
        context.close();
    }

    @Override
    public String toString() {
        return name + "@" + port;
    }
}
