package io.sessioncluster.spring.boot3login;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spring Boot 3.5 application behind Spring Security's form login with its defaults and an in-memory user. Its own
 * package, so that {@code Boot3App}'s component scan does not find its security configuration.
 */
@SpringBootApplication
@RestController
class Boot3LoginApp {

    static final String USER = "shopper";

    @GetMapping("/account")
    String account(Principal user) {
        return "signed in as " + user.getName();
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults()).build();
    }

    @Bean
    UserDetailsService users(org.springframework.core.env.Environment environment) {
        String password = environment.getRequiredProperty("test.password");
        return new InMemoryUserDetailsManager(User.withUsername(USER)
                .password(PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password)).roles("USER").build());
    }

    static ConfigurableApplicationContext start(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN"));
        all.addAll(List.of(args));
        return new SpringApplication(Boot3LoginApp.class).run(all.toArray(String[]::new));
    }
}
