package io.sessioncluster.spring.boot;

import io.sessioncluster.core.codec.ClassAllowList;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.savedrequest.DefaultSavedRequest;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring Security 7 (Boot 4's) with its OAuth2 client is on this module's test class path. */
class SpringSecuritySessionClassesTest {

    private static final ClassLoader WITH_SECURITY = SpringSecuritySessionClassesTest.class.getClassLoader();
    private static final ClassLoader WITHOUT_SECURITY = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());

    private static ResolvedSettings resolve(Map<String, String> settings, ClassLoader loader) {
        return ResolvedSettings.forApplication(new SessionClusterProperties(true, "redis", settings, false, false,
                Duration.ofSeconds(2), null), List.of(), loader, List.of());
    }

    private static String allowedWithPackages(Map<String, String> settings, List<String> packages) {
        return ResolvedSettings.forApplication(new SessionClusterProperties(true, "redis", settings, false, false,
                Duration.ofSeconds(2), null), List.of(), WITHOUT_SECURITY, packages).values().get("allowedClasses");
    }

    @Test
    void theApplicationsOwnPackagesAreAdmittedUnlessTheStrictSettingIsOff() {
        assertThat(allowedWithPackages(Map.of(), List.of("com.example.shop"))).isEqualTo("com.example.shop.**");
        assertThat(allowedWithPackages(Map.of("allowed-classes", "com.lib.Widget"), List.of("com.example.shop")))
                .isEqualTo("com.example.shop.**,com.lib.Widget");
        assertThat(allowedWithPackages(Map.of("allow-application-classes", "false"), List.of("com.example.shop")))
                .isNull();
    }

    @Test
    void withSpringSecuritySessionsAreIndexedUnderTheSecurityContextsNameUnlessTheUserSaidOtherwise() {
        assertThat(resolve(Map.of(), WITH_SECURITY).values()).containsEntry("principalAttribute", "SPRING_SECURITY_CONTEXT");
        assertThat(resolve(Map.of("principal-attribute", "user"), WITH_SECURITY).values())
                .containsEntry("principalAttribute", "user");
        assertThat(resolve(Map.of(), WITHOUT_SECURITY).values()).doesNotContainKey("principalAttribute");
    }

    @Test
    void everyCandidateExistsInSecuritySeven() {
        // A misspelt name would silently drop out: with Security 7 and its OAuth2 client, none may.
        assertThat(SpringSecuritySessionClasses.present(WITH_SECURITY))
                .containsExactlyElementsOf(SpringSecuritySessionClasses.CANDIDATES);
        assertThat(SpringSecuritySessionClasses.present(WITHOUT_SECURITY)).isEmpty();
    }

    @Test
    void theEffectiveAllowListHoldsTheExactClassesNotTheirPackages() {
        String allowed = resolve(Map.of(), WITH_SECURITY).values().get("allowedClasses");
        assertThat(Arrays.asList(allowed.split(","))).containsExactlyElementsOf(SpringSecuritySessionClasses.CANDIDATES)
                .contains(SecurityContextImpl.class.getName(), DefaultSavedRequest.class.getName(),
                        "org.springframework.security.core.userdetails.User",
                        "org.springframework.security.core.authority.FactorGrantedAuthority",
                        "org.springframework.security.web.csrf.DefaultCsrfToken",
                        "org.springframework.security.oauth2.client.registration.ClientRegistration")
                .noneMatch(pattern -> pattern.endsWith("*"));
        ClassAllowList list = ClassAllowList.parse(allowed);
        assertThat(list.allows(DefaultSavedRequest.class)).isTrue();
        assertThat(list.allows("org.springframework.security.core.userdetails.User$AuthorityComparator")).isTrue();
        // Neighbours in the same packages that Spring Security never keeps in a session stay refused.
        assertThat(list.allows("org.springframework.security.web.FilterChainProxy")).isFalse();
        assertThat(list.allows("org.springframework.security.core.userdetails.memory.UserAttribute")).isFalse();
        assertThat(list.allows("org.springframework.security.authentication.ProviderManager")).isFalse();
    }

    @Test
    void theApplicationsOwnClassesAreAddedNotReplaced() {
        ResolvedSettings s = resolve(Map.of("allowed-classes", "com.example.shop.**"), WITH_SECURITY);
        String allowed = s.values().get("allowedClasses");
        assertThat(allowed).startsWith(SecurityContextImpl.class.getName() + ",").endsWith(",com.example.shop.**");
        assertThat(ClassAllowList.parse(allowed).allows("com.example.shop.Cart")).isTrue();
        assertThat(ClassAllowList.parse(allowed).allows(DefaultSavedRequest.class)).isTrue();
        assertThat(s.source("allowedClasses")).isEqualTo("session-cluster.settings.allowed-classes");
    }

    @Test
    void aValueTheManagerWillRefuseIsLeftAsWrittenForItsMessage() {
        assertThat(resolve(Map.of("allowed-classes", "com..bad"), WITH_SECURITY).values())
                .containsEntry("allowedClasses", "com..bad");
    }

    @Test
    void withoutSpringSecurityNothingIsAdded() {
        assertThat(resolve(Map.of(), WITHOUT_SECURITY).values()).doesNotContainKey("allowedClasses");
        assertThat(resolve(Map.of("allowed-classes", "com.example.shop.**"), WITHOUT_SECURITY).values())
                .containsEntry("allowedClasses", "com.example.shop.**");
    }
}
