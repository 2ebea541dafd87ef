package io.sessioncluster.tomcat;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

import org.apache.catalina.Context;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Every session event of a test's nodes, as {@code node:event[:name]} lines in the order they fired: the
 * application's listeners ({@link HttpSessionListener}, {@link HttpSessionAttributeListener},
 * {@link HttpSessionIdListener}) and a {@link Probe} attribute that is its own binding and activation listener.
 * A node's name is a context attribute, so a probe decoded on another node reports that node.
 */
final class ListenerLog {

    private static final String NODE = "listenerLog.node";
    private static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();

    private ListenerLog() {
    }

    /** The application's session listeners, on a node named {@code node}. */
    static Consumer<Context> on(String node) {
        return context -> context.addServletContainerInitializer((classes, servletContext) -> {
            servletContext.setAttribute(NODE, node);
            servletContext.addListener(new AppListeners());
        }, null);
    }

    /** Events since the last call, emptied. */
    static List<String> take() {
        List<String> taken = new ArrayList<>();
        for (String event; (event = EVENTS.poll()) != null; ) {
            taken.add(event);
        }
        return taken;
    }

    private static void record(HttpSession session, String event) {
        ServletContext context = session.getServletContext();
        EVENTS.add(context.getAttribute(NODE) + ":" + event);
    }

    private static final class AppListeners
            implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {
        @Override
        public void sessionCreated(HttpSessionEvent se) {
            record(se.getSession(), "created");
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent se) {
            record(se.getSession(), "destroyed");
        }

        @Override
        public void attributeAdded(HttpSessionBindingEvent e) {
            record(e.getSession(), "added:" + e.getName());
        }

        @Override
        public void attributeRemoved(HttpSessionBindingEvent e) {
            record(e.getSession(), "removed:" + e.getName());
        }

        @Override
        public void attributeReplaced(HttpSessionBindingEvent e) {
            record(e.getSession(), "replaced:" + e.getName());
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            record(event.getSession(), "idChanged");
        }
    }

    /** An attribute value that reports its own binding and activation events, tagged with its label. */
    public static final class Probe implements HttpSessionBindingListener, HttpSessionActivationListener, Serializable {
        private static final long serialVersionUID = 1L;
        private String label;

        public Probe() {
        }

        public Probe(String label) {
            this.label = label;
        }

        @Override
        public void valueBound(HttpSessionBindingEvent event) {
            record(event.getSession(), "bound:" + label);
        }

        @Override
        public void valueUnbound(HttpSessionBindingEvent event) {
            record(event.getSession(), "unbound:" + label);
        }

        @Override
        public void sessionWillPassivate(HttpSessionEvent se) {
            record(se.getSession(), "willPassivate:" + label);
        }

        @Override
        public void sessionDidActivate(HttpSessionEvent se) {
            record(se.getSession(), "didActivate:" + label);
        }
    }
}
