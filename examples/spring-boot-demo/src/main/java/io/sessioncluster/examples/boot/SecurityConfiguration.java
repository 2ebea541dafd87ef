package io.sessioncluster.examples.boot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security's form login, with its defaults, for {@code /account} only: the cart stays open. What the login keeps
 * in the session (the security context, the request saved for after the login, the CSRF token) is clustered like the
 * cart, so a login made on one instance holds on the other. The starter allows those classes by itself.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain accountSecurity(HttpSecurity http) throws Exception {
        // Only the account page and the login page pass through Spring Security: the cart's API needs no CSRF token.
        http.securityMatcher("/account/**", "/login")
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    UserDetailsService users(@Value("${demo.user:shopper}") String name, @Value("${demo.password:change-me}") String password) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(name).password(encoder.encode(password)).roles("USER").build());
    }
}
