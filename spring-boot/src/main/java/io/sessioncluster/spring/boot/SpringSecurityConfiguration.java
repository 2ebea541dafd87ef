package io.sessioncluster.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Security: no typed password of a failed login reaches the store, and a user's sessions can be listed
 * and ended everywhere ({@link ClusterUserSessions}; sessions are indexed under their security context's name,
 * {@link ResolvedSettings#forApplication}). Imported by both Boots'
 * auto-configurations (its annotations are in the same packages in Boot 3 and 4). The classes Spring Security keeps
 * in the session are allowed by {@link ResolvedSettings#forApplication}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.security.core.AuthenticationException")
class SpringSecurityConfiguration {

    @Bean
    LoginFailureCredentials sessionClusterLoginFailureCredentials() {
        return new LoginFailureCredentials();
    }

    @Bean
    ClusterUserSessions sessionClusterUserSessions(SessionClusterManagers managers) {
        return new ClusterUserSessions(managers);
    }
}
