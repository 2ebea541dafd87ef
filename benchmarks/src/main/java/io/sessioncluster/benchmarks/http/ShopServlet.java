package io.sessioncluster.benchmarks.http;

import io.sessioncluster.core.testing.ShopModel;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one web application every configuration serves, {@code /shop?op=new|read|write|mutate}:
 * <ul>
 *   <li>{@code new}: a new session holding the attributes of the workload's shape ({@link ShopModel#session} or
 *       {@link MapSession#session}: a user profile, the cart, small values);</li>
 *   <li>{@code read}: reads the user, the cart and two small values, changes nothing;</li>
 *   <li>{@code write}: sets one small attribute ({@code lastPage}, a short string);</li>
 *   <li>{@code mutate}: changes the cart in place without {@code setAttribute} (POJO: rotates its item list;
 *       maps: sets one item's quantity), as legacy pages do.</li>
 * </ul>
 * With {@code page=render} every request also renders {@link CatalogPage} (about 0.5 ms of CPU) and answers
 * "ok" (the rendered page is not sent, so the bytes on the wire are the same for both pages).
 * A {@code read}, {@code write} or {@code mutate} whose session is gone (a manager that lost it) answers
 * {@code X-Miss: 1} and starts a new session, so the load goes on and the loss is counted.
 */
final class ShopServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);
    /**
     * With a Content-Length (the default, as most frameworks send for small bodies) Tomcat sends the response as
     * soon as the body is written, before the valves after the servlet have run; {@code -Dbench.contentLength=false}
     * leaves the body in the buffer until the request ends.
     */
    private static final boolean CONTENT_LENGTH = Boolean.parseBoolean(System.getProperty("bench.contentLength", "true"));

    private final transient Workload workload;
    private final transient CatalogPage page;
    private final AtomicLong pages = new AtomicLong();
    /** Keeps the rendered length observable, so the JIT cannot drop the rendering. */
    private volatile int rendered;

    ShopServlet(Workload workload) {
        this.workload = workload;
        this.page = workload.page() == Workload.Page.RENDER ? new CatalogPage() : null;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String op = req.getParameter("op");
        HttpSession session = "new".equals(op) ? null : req.getSession(false);
        if (session == null) {
            if (!"new".equals(op)) {
                resp.setHeader("X-Miss", "1");
            }
            session = req.getSession(true);
            fill(session);
        } else if ("write".equals(op)) {
            session.setAttribute("lastPage", "/catalog/page/" + pages.incrementAndGet() % 1000);
        } else if ("read".equals(op)) {
            if (session.getAttribute("user") == null || session.getAttribute("cart") == null
                    || session.getAttribute("csrfToken") == null || session.getAttribute("visits") == null) {
                resp.setHeader("X-Miss", "1");
            }
        } else if ("mutate".equals(op)) {
            Object cart = session.getAttribute("cart");
            if (cart == null) {
                resp.setHeader("X-Miss", "1");
            } else {
                mutate(cart);
            }
        } else {
            resp.sendError(400, "op must be new, read, write or mutate");
            return;
        }
        if (page != null) {
            rendered = page.render(workload.cartItems());
        }
        resp.setContentType("text/plain");
        if (CONTENT_LENGTH) {
            resp.setContentLength(OK.length);
        }
        resp.getOutputStream().write(OK);
    }

    private void mutate(Object cart) {
        long turn = pages.incrementAndGet();
        if (cart instanceof ShopModel.Cart pojo) {
            List<?> items = pojo.items();
            Collections.rotate(items, 1);
        } else {
            MapSession.mutate(cart, turn);
        }
    }

    private void fill(HttpSession session) {
        for (Map.Entry<String, Object> e : workload.shape().session(workload.cartItems()).entrySet()) {
            session.setAttribute(e.getKey(), e.getValue());
        }
    }
}
