package io.sessioncluster.tomcat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Holds back what would send the whole response while the request is still in the application, so that in
 * {@code writeMode=sync} the session is in the store before the client can see the end of the response. The manager
 * puts it first in the application's filter chain when it starts ({@code holdResponse="true"}, the default).
 *
 * <p>Why: the valve writes the session after the application returns, but before that the application may (1) flush
 * (Spring MVC flushes every {@code @ResponseBody} it writes), or (2) set {@code Content-Length}, upon which Tomcat
 * commits and sends the response as soon as that many bytes are written. Either way the client could send its next
 * request, to another node, before the write, and a failed write could no longer become a 503. So this wrapper drops
 * flushes and keeps the declared length from Tomcat (which computes it itself when the response ends, if the body
 * fit in its buffer, and otherwise sends it chunked). A response larger than the buffer still streams, but its end
 * leaves after the write. Asynchronous requests (streaming, server-sent events) are let through: they flush on
 * purpose, and the valve writes their session when they complete.
 */
final class ResponseHoldingFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String NAME = "sessionClusterResponseHolding";

    /** Puts the filter first in the context's chain for requests (not forwards, includes or async dispatches). */
    static void installFirst(Context context) {
        if (context.findFilterDef(NAME) != null) {
            return;
        }
        FilterDef def = new FilterDef();
        def.setFilterName(NAME);
        def.setFilterClass(ResponseHoldingFilter.class.getName());
        def.setFilter(new ResponseHoldingFilter());
        def.setAsyncSupported("true"); // a filter without it would forbid startAsync to every servlet behind it
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(NAME);
        map.addURLPattern("/*");
        map.setDispatcher(DispatcherType.REQUEST.name());
        context.addFilterMapBefore(map);
    }

    /** Takes the filter out again, so a restart with other settings starts from the application's own chain. */
    static void uninstall(Context context) {
        FilterDef def = context.findFilterDef(NAME);
        if (def == null) {
            return;
        }
        for (FilterMap map : context.findFilterMaps()) {
            if (NAME.equals(map.getFilterName())) {
                context.removeFilterMap(map);
            }
        }
        context.removeFilterDef(def);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, new Holding(response, request));
    }

    /** Passes everything through but flushes, which it drops until the request goes asynchronous. */
    private static final class Holding extends HttpServletResponseWrapper {

        private final ServletRequest request;
        private ServletOutputStream stream;
        private PrintWriter writer;

        Holding(HttpServletResponse response, ServletRequest request) {
            super(response);
            this.request = request;
        }

        private boolean holding() {
            return !request.isAsyncStarted();
        }

        @Override
        public void setContentLength(int length) {
            if (!holding()) {
                super.setContentLength(length);
            }
        }

        @Override
        public void setContentLengthLong(long length) {
            if (!holding()) {
                super.setContentLengthLong(length);
            }
        }

        @Override
        public void setHeader(String name, String value) {
            if (!holding() || !isContentLength(name)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!holding() || !isContentLength(name)) {
                super.addHeader(name, value);
            }
        }

        @Override
        public void setIntHeader(String name, int value) {
            if (!holding() || !isContentLength(name)) {
                super.setIntHeader(name, value);
            }
        }

        @Override
        public void addIntHeader(String name, int value) {
            if (!holding() || !isContentLength(name)) {
                super.addIntHeader(name, value);
            }
        }

        private static boolean isContentLength(String name) {
            return "Content-Length".equalsIgnoreCase(name);
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!holding()) {
                super.flushBuffer();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                stream = new HoldingStream(super.getOutputStream());
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                writer = new PrintWriter(super.getWriter(), false) {
                    @Override
                    public void flush() {
                        if (!holding()) {
                            super.flush();
                        }
                    }

                    @Override
                    public void close() {
                        if (!holding()) {
                            super.close();
                        }
                    }
                };
            }
            return writer;
        }

        private final class HoldingStream extends ServletOutputStream {

            private final ServletOutputStream out;

            HoldingStream(ServletOutputStream out) {
                this.out = out;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (!holding()) {
                    out.flush();
                }
            }

            @Override
            public void close() throws IOException {
                // Closing commits and finishes the response: hold that too, Tomcat closes it after the valve.
                if (!holding()) {
                    out.close();
                }
            }

            @Override
            public boolean isReady() {
                return out.isReady();
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                out.setWriteListener(listener);
            }
        }
    }
}
