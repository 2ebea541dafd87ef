package io.sessioncluster.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop with a cart in the HTTP session. Start two of it on different ports against one Redis and the cart follows
 * the browser from one to the other: the starter replaced Tomcat's session manager, nothing in the application changed.
 */
@SpringBootApplication
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
