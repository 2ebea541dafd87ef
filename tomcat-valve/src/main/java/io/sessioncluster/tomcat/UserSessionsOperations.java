package io.sessioncluster.tomcat;

import io.sessioncluster.core.SessionIds;

import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The JMX operations on a user's sessions ({@link UserSessions}), for the context's {@link StatisticsMBean}: list them
 * (redacted ids, as in the logs: an id is a credential) and end them on every node. Reachable from jconsole and from
 * Tomcat's JMX proxy servlet ({@code ?invoke=<name>&op=expireSessionsOf&ps=alice}).
 */
final class UserSessionsOperations {

    static final String SESSIONS_OF = "sessionsOf";
    static final String EXPIRE_SESSIONS_OF = "expireSessionsOf";

    private final Function<String, Set<String>> sessionsOf;
    private final ToIntFunction<String> expireSessionsOf;

    UserSessionsOperations(Function<String, Set<String>> sessionsOf, ToIntFunction<String> expireSessionsOf) {
        this.sessionsOf = sessionsOf;
        this.expireSessionsOf = expireSessionsOf;
    }

    MBeanOperationInfo[] info() {
        MBeanParameterInfo[] name = {new MBeanParameterInfo("principalName", String.class.getName(),
                "the user's name: the container login's, or the principalAttribute's")};
        return new MBeanOperationInfo[] {
                new MBeanOperationInfo(SESSIONS_OF, "The user's live sessions on every node, as redacted ids", name,
                        String[].class.getName(), MBeanOperationInfo.INFO),
                new MBeanOperationInfo(EXPIRE_SESSIONS_OF,
                        "Ends every session of the user on every node (log out everywhere); returns how many", name,
                        int.class.getName(), MBeanOperationInfo.ACTION)};
    }

    Object invoke(String action, Object[] params) throws ReflectionException {
        String principal = params != null && params.length == 1 && params[0] instanceof String s ? s : null;
        if (principal == null || !(SESSIONS_OF.equals(action) || EXPIRE_SESSIONS_OF.equals(action))) {
            throw new ReflectionException(new NoSuchMethodException(action + "(String)"),
                    "operations: sessionsOf(String principalName), expireSessionsOf(String principalName)");
        }
        if (SESSIONS_OF.equals(action)) {
            return sessionsOf.apply(principal).stream().map(SessionIds::redact).sorted().toArray(String[]::new);
        }
        return Integer.valueOf(expireSessionsOf.applyAsInt(principal));
    }
}
