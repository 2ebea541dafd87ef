package io.sessioncluster.tomcat;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.util.res.StringManager;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The manager's {@link StatisticsMBean}, registered while the manager runs, under
 * {@code io.sessioncluster:type=SessionCluster,host=<host>,context=<context>} (the host and context as in Tomcat's own
 * {@code Catalina:type=Manager,...}, so the root context is {@code /}) in the MBean server of Tomcat's registry: where
 * jconsole, the JMX proxy servlet and a JMX exporter find Tomcat's own MBeans, and nowhere if the embedding turned
 * Tomcat's registry off (Spring Boot does by default; its metrics come through Micrometer). A failure to register
 * is logged and leaves the manager working.
 */
final class JmxRegistration {

    static final String DOMAIN = "io.sessioncluster";
    private static final Log log = Logs.of(JmxRegistration.class);
    private static final StringManager sm = StringManager.getManager(JmxRegistration.class);

    private final MBeanServer server;
    private final ObjectName name;

    private JmxRegistration(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /** @return the registration to {@link #unregister} at stop, or null if the MBean could not be registered */
    static JmxRegistration register(ClusteredSessionManager manager) {
        Context context = manager.getContext();
        ObjectName name = null;
        try {
            name = objectName(context);
            MBeanServer server = Registry.getRegistry(null, null).getMBeanServer();
            if (server.isRegistered(name)) {
                log.warn(sm.getString("jmx.nameTaken", name));
                return null;
            }
            server.registerMBean(new StatisticsMBean(manager::getStatistics, manager.contextName(),
                    new UserSessionsOperations(manager::findSessionIdsOf, manager::expireSessionsOf)), name);
            return new JmxRegistration(server, name);
        } catch (JMException | RuntimeException e) {
            log.warn(sm.getString("jmx.registerFailed", name == null ? manager.contextName() : name, e.toString()));
            return null;
        }
    }

    void unregister() {
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException | RuntimeException e) {
            log.debug("unregistering " + name + " failed", e);
        }
    }

    ObjectName name() {
        return name;
    }

    /** The documented name (docs/monitoring.md); a value with a character JMX reserves is quoted. */
    static ObjectName objectName(Context context) throws MalformedObjectNameException {
        Container host = context.getParent();
        String path = context.getName();
        return new ObjectName(DOMAIN + ":type=SessionCluster,host=" + value(host == null ? "" : host.getName())
                + ",context=" + value(path.startsWith("/") ? path : "/" + path));
    }

    private static String value(String raw) {
        for (char c : raw.toCharArray()) {
            if (",=:\"*?\n".indexOf(c) >= 0) {
                return ObjectName.quote(raw);
            }
        }
        return raw;
    }
}
