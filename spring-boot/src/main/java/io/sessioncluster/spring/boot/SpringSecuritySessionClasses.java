package io.sessioncluster.spring.boot;

import org.springframework.util.ClassUtils;

import java.util.List;

/**
 * The classes Spring Security (6.5 and 7.x) keeps in an {@code HttpSession}, by exact name, for
 * {@code allowedClasses}: without them the first unauthenticated request of a form login already fails (its saved
 * request is refused). Each is a data holder: strings, numbers, {@code java.time} values, JDK collections and
 * further entries of this list, with no {@code readObject} or other code that runs while decoded; a field typed
 * {@code Object} (a principal, details, a claim) is still checked against the allow-list on its own.
 *
 * <p>Found by walking the non-transient fields of what {@code HttpSessionSecurityContextRepository},
 * {@code HttpSessionRequestCache}, {@code HttpSessionCsrfTokenRepository},
 * {@code HttpSessionOAuth2AuthorizationRequestRepository} and {@code HttpSessionOAuth2AuthorizedClientRepository}
 * store, in the jars of both versions. A superclass is listed because Java serialization names it in the stream; a
 * name covers its nested classes ({@code User$AuthorityComparator}, {@code ClientRegistration$ProviderDetails}), as
 * every {@code allowedClasses} entry does. Names absent from the class path (a module not used, a type of the other
 * version) are left out.
 */
final class SpringSecuritySessionClasses {

    static final List<String> CANDIDATES = List.of(
            // spring-security-core: the security context, the authentications and what they hold
            "org.springframework.security.core.context.SecurityContextImpl",
            "org.springframework.security.authentication.AbstractAuthenticationToken",
            "org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
            "org.springframework.security.authentication.RememberMeAuthenticationToken",
            "org.springframework.security.authentication.AnonymousAuthenticationToken",
            "org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken",
            "org.springframework.security.authentication.ott.OneTimeTokenAuthentication", // 7
            "org.springframework.security.core.SimpleAuthentication", // 7: Authentication.toBuilder()'s default
            "org.springframework.security.core.userdetails.User",
            "org.springframework.security.core.authority.SimpleGrantedAuthority",
            "org.springframework.security.core.authority.FactorGrantedAuthority", // 7: the factor a login proved
            // A failed login's exception (SPRING_SECURITY_LAST_EXCEPTION), for the login page to show; the JDK
            // superclasses because Java serialization names them (LoginFailureCredentials erases the password
            // the exception holds before it is stored)
            "org.springframework.security.core.AuthenticationException",
            "org.springframework.security.authentication.BadCredentialsException",
            "org.springframework.security.authentication.AccountStatusException",
            "org.springframework.security.authentication.LockedException",
            "org.springframework.security.authentication.DisabledException",
            "org.springframework.security.authentication.AccountExpiredException",
            "org.springframework.security.authentication.CredentialsExpiredException",
            "org.springframework.security.core.userdetails.UsernameNotFoundException",
            "java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException", "java.lang.StackTraceElement",
            // spring-security-web: details, pre-authentication, switch user, saved request, CSRF token
            "org.springframework.security.web.authentication.WebAuthenticationDetails",
            "org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken",
            "org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority",
            "org.springframework.security.web.savedrequest.DefaultSavedRequest",
            "org.springframework.security.web.savedrequest.SavedCookie",
            "org.springframework.security.web.csrf.DefaultCsrfToken",
            "org.springframework.security.web.authentication.session.SessionAuthenticationException",
            // spring-security-oauth2-core and -client: OAuth2/OIDC login and authorized clients
            "org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken",
            "org.springframework.security.oauth2.core.OAuth2AuthenticationException",
            "org.springframework.security.oauth2.core.OAuth2Error",
            "org.springframework.security.oauth2.core.user.DefaultOAuth2User",
            "org.springframework.security.oauth2.core.user.OAuth2UserAuthority",
            "org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser",
            "org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority",
            "org.springframework.security.oauth2.core.oidc.OidcIdToken",
            "org.springframework.security.oauth2.core.oidc.OidcUserInfo",
            "org.springframework.security.oauth2.core.AbstractOAuth2Token",
            "org.springframework.security.oauth2.core.OAuth2AccessToken",
            "org.springframework.security.oauth2.core.OAuth2RefreshToken",
            "org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest",
            "org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponseType",
            "org.springframework.security.oauth2.core.AuthorizationGrantType",
            "org.springframework.security.oauth2.core.ClientAuthenticationMethod",
            "org.springframework.security.oauth2.core.AuthenticationMethod",
            "org.springframework.security.oauth2.client.OAuth2AuthorizedClient",
            "org.springframework.security.oauth2.client.registration.ClientRegistration");

    private SpringSecuritySessionClasses() {
    }

    /** The candidates {@code loader} can load, in the order above; empty without Spring Security. */
    static List<String> present(ClassLoader loader) {
        if (!ClassUtils.isPresent(CANDIDATES.get(0), loader)) {
            return List.of(); // the JDK's exception types are allowed for Spring Security's only
        }
        return CANDIDATES.stream().filter(name -> ClassUtils.isPresent(name, loader)).toList();
    }
}
