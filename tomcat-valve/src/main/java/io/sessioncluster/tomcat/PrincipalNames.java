package io.sessioncluster.tomcat;

import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.RateLimitedLog;
import io.sessioncluster.core.SessionIds;

import org.apache.juli.logging.Log;
import org.apache.tomcat.util.res.StringManager;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which principal name a session is indexed under (the user's sessions index): the container login's
 * ({@code session.getPrincipal()}, as Tomcat's authenticators cache it), else the value of the attribute named by
 * {@code principalAttribute}: a {@code String}, a {@link Principal}, or an object whose public
 * {@code getAuthentication()} returns a {@code Principal} (Spring Security's {@code SecurityContext} under
 * {@code SPRING_SECURITY_CONTEXT}: its {@code Authentication} is one).
 */
final class PrincipalNames {

    private static final Log log = Logs.of(PrincipalNames.class);
    private static final StringManager sm = StringManager.getManager(PrincipalNames.class);
    private static final RateLimitedLog notIndexed = new RateLimitedLog(60, TimeUnit.SECONDS);

    /** Per class: its public no-argument {@code getAuthentication()}, or null. Found once, classes are many calls. */
    private static final ClassValue<Method> AUTHENTICATION_GETTER = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("getAuthentication");
                return Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private final String attribute;

    /** @param attribute the attribute that names the user when there is no container login; null or empty: none */
    PrincipalNames(String attribute) {
        this.attribute = attribute == null || attribute.isEmpty() ? null : attribute;
    }

    /**
     * What this request's changes do to the index: the session's current name when its login changed or the
     * principal attribute was set, replaced or removed; {@link PrincipalChange#UNCHANGED} otherwise, which is every
     * request but a login's and a log-out's. Sending an unchanged name again is harmless (an index add is idempotent).
     */
    PrincipalChange change(ClusteredSession session, boolean authChanged, Map<String, byte[]> set,
                           Set<String> removed) {
        boolean attributeChanged = attribute != null && (set.containsKey(attribute) || removed.contains(attribute));
        if (!authChanged && !attributeChanged) {
            return PrincipalChange.UNCHANGED;
        }
        String name = nameOf(session);
        if (name == null) {
            return PrincipalChange.CLEARED;
        }
        if (!PrincipalChange.isIndexable(name)) {
            long suppressed = notIndexed.permit("length");
            if (suppressed >= 0) {
                log.warn(sm.getString("principal.notIndexed", SessionIds.redact(session.getIdInternal()),
                        Integer.valueOf(name.length()), Integer.valueOf(PrincipalChange.MAX_NAME_LENGTH),
                        Long.valueOf(suppressed)));
            }
            return PrincipalChange.CLEARED;
        }
        return PrincipalChange.to(name);
    }

    /** The name the session is known by now, or null. */
    String nameOf(ClusteredSession session) {
        Principal principal = session.getPrincipal();
        if (principal != null) {
            return principal.getName();
        }
        return attribute == null ? null : nameOf(session.attributeValue(attribute));
    }

    static String nameOf(Object value) {
        if (value instanceof String text) {
            return text.isEmpty() ? null : text;
        }
        if (value instanceof Principal p) {
            return p.getName();
        }
        if (value == null) {
            return null;
        }
        Method getter = AUTHENTICATION_GETTER.get(value.getClass());
        if (getter == null) {
            return null;
        }
        try {
            return getter.invoke(value) instanceof Principal p ? p.getName() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // an application's getter that fails names nobody; the session is simply not indexed
        }
    }
}
