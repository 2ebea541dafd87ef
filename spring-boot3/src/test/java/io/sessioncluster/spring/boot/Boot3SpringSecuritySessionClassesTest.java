package io.sessioncluster.spring.boot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring Security 6.5 (Boot 3.5's) with its OAuth2 client is on this module's test class path. */
class Boot3SpringSecuritySessionClassesTest {

    @Test
    void everyCandidateButSecuritySevensOwnExistsInSecuritySixFive() {
        List<String> sevenOnly = List.of("org.springframework.security.authentication.ott.OneTimeTokenAuthentication",
                "org.springframework.security.core.SimpleAuthentication",
                "org.springframework.security.core.authority.FactorGrantedAuthority");
        assertThat(SpringSecuritySessionClasses.present(getClass().getClassLoader()))
                .containsExactlyElementsOf(SpringSecuritySessionClasses.CANDIDATES.stream()
                        .filter(name -> !sevenOnly.contains(name)).toList());
    }
}
