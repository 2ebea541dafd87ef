package io.sessioncluster.spring.boot;

import jakarta.servlet.http.HttpSession;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;

/** A Spring Boot 3 web application with a counter in its session. */
@SpringBootApplication
@RestController
class Boot3App {

    /** Adds {@code item} to the session's list (in place after the first) and answers the list. */
    @GetMapping("/add")
    String add(@RequestParam("item") String item, HttpSession session) {
        @SuppressWarnings("unchecked")
        List<String> items = (List<String>) session.getAttribute("items");
        if (items == null) {
            items = new ArrayList<>();
            session.setAttribute("items", items);
        }
        items.add(item);
        return String.join(",", items);
    }

    static ConfigurableApplicationContext start(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--management.endpoints.web.exposure.include=health",
                "--management.endpoint.health.show-details=always",
                // Spring Security is on this module's test class path for Boot3FormLoginIT: not for this application.
                "--spring.autoconfigure.exclude="
                        + "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration,"
                        + "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration,"
                        + "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"));
        all.addAll(List.of(args));
        return new SpringApplication(Boot3App.class).run(all.toArray(String[]::new));
    }
}
