package io.sessioncluster.tomcat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request the valve hands to the application (through Tomcat's {@code Request.setRequest}, the supported way
 * for a valve to wrap it). Its only purpose: {@link #startAsync()} returns an {@link AsyncContext} whose
 * {@link AsyncContext#complete() complete()} first writes the session's changes, on the calling thread, while the
 * response is still open, so that in {@code writeMode=sync} a store failure can still become a 503. Everything
 * else is passed through.
 *
 * <p>One instance lives as long as its request, across asynchronous dispatches: the valve points it at the scope of
 * its current pass ({@link #scope(RequestScope)}), and a {@code startAsync} binds the returned context to that scope.
 */
final class AsyncAwareRequest extends HttpServletRequestWrapper {

    private final SessionClusterValve valve;
    private final org.apache.catalina.connector.Request request;
    private final org.apache.catalina.connector.Response response;
    private volatile RequestScope scope;
    private volatile CompletingAsyncContext current;

    AsyncAwareRequest(HttpServletRequest wrapped, SessionClusterValve valve,
            org.apache.catalina.connector.Request request, org.apache.catalina.connector.Response response,
            RequestScope scope) {
        super(wrapped);
        this.valve = valve;
        this.request = request;
        this.response = response;
        this.scope = scope;
    }

    boolean belongsTo(SessionClusterValve v) {
        return valve == v;
    }

    void scope(RequestScope s) {
        scope = s;
    }

    @Override
    public AsyncContext startAsync() throws IllegalStateException {
        return bind(super.startAsync());
    }

    @Override
    public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse)
            throws IllegalStateException {
        return bind(super.startAsync(servletRequest, servletResponse));
    }

    @Override
    public AsyncContext getAsyncContext() {
        AsyncContext context = super.getAsyncContext();
        CompletingAsyncContext c = current;
        return c != null && c.delegate == context ? c : context;
    }

    private AsyncContext bind(AsyncContext context) {
        CompletingAsyncContext c = new CompletingAsyncContext(context, scope);
        current = c;
        return c;
    }

    /** Writes the session before completing; everything else goes to Tomcat's context. */
    private final class CompletingAsyncContext implements AsyncContext {

        final AsyncContext delegate;
        private final RequestScope boundScope;

        CompletingAsyncContext(AsyncContext delegate, RequestScope boundScope) {
            this.delegate = delegate;
            this.boundScope = boundScope;
        }

        @Override
        public void complete() {
            boolean live;
            try {
                delegate.getRequest(); // throws once Tomcat has completed the request (it may be recycled)
                live = true;
            } catch (IllegalStateException e) {
                live = false;
            }
            if (live) {
                valve.asyncCompleting(request, response, boundScope);
            }
            delegate.complete();
        }

        @Override
        public ServletRequest getRequest() {
            return delegate.getRequest();
        }

        @Override
        public ServletResponse getResponse() {
            return delegate.getResponse();
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return delegate.hasOriginalRequestAndResponse();
        }

        @Override
        public void dispatch() {
            delegate.dispatch();
        }

        @Override
        public void dispatch(String path) {
            delegate.dispatch(path);
        }

        @Override
        public void dispatch(ServletContext context, String path) {
            delegate.dispatch(context, path);
        }

        @Override
        public void start(Runnable run) {
            delegate.start(run);
        }

        @Override
        public void addListener(AsyncListener listener) {
            delegate.addListener(listener);
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest servletRequest,
                ServletResponse servletResponse) {
            delegate.addListener(listener, servletRequest, servletResponse);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
            return delegate.createListener(clazz);
        }

        @Override
        public void setTimeout(long timeout) {
            delegate.setTimeout(timeout);
        }

        @Override
        public long getTimeout() {
            return delegate.getTimeout();
        }
    }
}
