package io.sessioncluster.examples.boot;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A standard servlet listener, registered by Boot as any {@link HttpSessionListener} bean: the clustered manager
 * keeps Tomcat's session semantics, so it fires here as in any Tomcat (a session ends once, on one instance).
 */
@Component
class SessionEvents implements HttpSessionListener {

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong destroyed = new AtomicLong();

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        created.incrementAndGet();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        destroyed.incrementAndGet();
    }

    String summary() {
        return "created=" + created.get() + " destroyed=" + destroyed.get();
    }
}
