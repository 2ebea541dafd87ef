package io.sessioncluster.tomcat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The application of the test nodes. {@code /s?op=...&name=...&value=...}; the body is the result, header
 * {@code X-Session} the session id after the request (or {@code none}).
 *
 * <p>An attribute whose class is not allowed is rejected by {@code setAttribute} with an
 * {@link IllegalArgumentException}; this application answers that with 400 and the message, which is what we
 * recommend applications do.
 */
final class TestServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-app-pool");
        t.setDaemon(true);
        return t;
    });

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String op = req.getParameter("op");
        String name = req.getParameter("name");
        String value = req.getParameter("value");
        String body;
        HttpSession session = req.getSession(false);
        if ("async".equals(op)) {
            // The session is created and changed on another thread, after the valve has returned.
            AsyncContext async = req.startAsync();
            Thread worker = new Thread(() -> {
                try {
                    HttpSession s = ((HttpServletRequest) async.getRequest()).getSession(true);
                    s.setAttribute(name, value);
                    async.getResponse().getWriter().write("ok");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
            worker.start();
            return;
        }
        if ("asyncDispatch".equals(op)) {
            if (req.getDispatcherType() == DispatcherType.ASYNC) {
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getWriter().write("dispatched");
                return;
            }
            // Changed on a pool thread, then dispatched back to a container thread (which passes the valve again).
            AsyncContext async = req.startAsync();
            POOL.execute(() -> {
                try {
                    ((HttpServletRequest) async.getRequest()).getSession(true).setAttribute(name, value);
                } finally {
                    async.dispatch();
                }
            });
            return;
        }
        switch (op) {
            case "set" -> {
                session = req.getSession(true);
                session.setAttribute(name, value);
                body = "ok";
            }
            case "get" -> body = session == null ? "no-session" : String.valueOf(session.getAttribute(name));
            case "names" -> {
                if (session == null) {
                    body = "no-session";
                } else {
                    List<String> names = Collections.list(session.getAttributeNames());
                    Collections.sort(names);
                    body = names.toString();
                }
            }
            case "append" -> {
                // The first call sets a list; later calls only mutate it in place, without setAttribute.
                session = req.getSession(true);
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) session.getAttribute(name);
                if (list == null) {
                    list = new ArrayList<>();
                    session.setAttribute(name, list);
                }
                list.add(value);
                body = list.toString();
            }
            case "setAgain" -> {
                // The same instance set again, as Spring re-sets its session-scoped beans on every request.
                session = req.getSession(true);
                Object same = session.getAttribute(name);
                session.setAttribute(name, same);
                body = String.valueOf(same);
            }
            case "appendShared" -> {
                // In place, on a list the application made safe for its own threads (requests of one session on
                // one node run side by side, as in Tomcat); a pause widens the read-change-write window.
                session = req.getSession(true);
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) session.getAttribute(name);
                if (list == null) {
                    list = new java.util.concurrent.CopyOnWriteArrayList<>();
                    session.setAttribute(name, list);
                }
                pause(req);
                list.add(value);
                body = "ok";
            }
            case "hold" -> {
                // Keeps the session busy for pauseMillis, then sets an attribute if one is named.
                pause(req);
                if (name != null && session != null) {
                    session.setAttribute(name, value);
                }
                body = "held";
            }
            case "remove" -> {
                session.removeAttribute(name);
                body = "ok";
            }
            case "changeId" -> body = req.changeSessionId();
            case "invalidate" -> {
                session.invalidate();
                session = null;
                body = "ok";
            }
            case "timeout" -> {
                session = req.getSession(true);
                session.setMaxInactiveInterval(Integer.parseInt(value));
                body = "ok";
            }
            case "setUnlisted" -> {
                session = req.getSession(true);
                try {
                    session.setAttribute(name, new Unlisted(value));
                    body = "accepted";
                } catch (IllegalArgumentException e) {
                    resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    body = "rejected: " + e.getMessage();
                }
            }
            case "setClass" -> {
                session = req.getSession(true);
                try {
                    Class<?> type = Class.forName(req.getParameter("class"), true, Thread.currentThread().getContextClassLoader());
                    session.setAttribute(name, type.getConstructor(String.class).newInstance(value));
                    body = "ok";
                } catch (IllegalArgumentException e) {
                    resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    body = "rejected: " + e.getMessage();
                } catch (ReflectiveOperationException e) {
                    resp.setStatus(HttpServletResponse.SC_NOT_FOUND);
                    body = "no class: " + e;
                }
            }
            case "setBytes" -> {
                session = req.getSession(true);
                session.setAttribute(name, new byte[Integer.parseInt(value)]);
                body = "ok";
            }
            case "bytes" -> {
                Object bytes = session == null ? null : session.getAttribute(name);
                body = bytes instanceof byte[] b ? Integer.toString(b.length) : "null";
            }
            case "id" -> body = session == null ? "none" : session.getId();
            default -> {
                resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                body = "unknown op " + op;
            }
        }
        HttpSession after = req.getSession(false);
        resp.setHeader("X-Session", after == null ? "none" : after.getId());
        resp.setContentType("text/plain;charset=UTF-8");
        if ("true".equals(req.getParameter("flush"))) {
            // As Spring MVC does: a declared length, then a flush, both before the valve writes the session.
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
            resp.flushBuffer();
            return;
        }
        resp.getWriter().write(body);
    }

    private static void pause(HttpServletRequest req) {
        String millis = req.getParameter("pauseMillis");
        if (millis != null) {
            try {
                Thread.sleep(Long.parseLong(millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Serializable, but not in any test's allowedClasses. */
    static final class Unlisted implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final String value;

        Unlisted(String value) {
            this.value = value;
        }
    }
}
