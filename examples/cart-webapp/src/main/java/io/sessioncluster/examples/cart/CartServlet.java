package io.sessioncluster.examples.cart;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.regex.Pattern;

/**
 * The cart, as plain text that a person, {@code curl} and the demo walkthrough can all read.
 * <ul>
 *   <li>{@code GET /cart}: the cart of this session (creates the session);</li>
 *   <li>{@code POST /cart?add=<sku>&qty=<n>}: adds n (default 1) of a product;</li>
 *   <li>{@code POST /cart?remove=<sku>}: removes a product;</li>
 *   <li>{@code POST /cart?login=<name>}: signs in, which changes the session id (session fixation protection);</li>
 *   <li>{@code POST /cart?logout}: invalidates the session.</li>
 * </ul>
 * Every answer starts with the node that served it and the session id, so a reader can follow failover.
 */
@WebServlet(urlPatterns = "/cart")
public final class CartServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9-]{1,40}");
    private static final int MAX_QUANTITY = 1000;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        render(request, response, cartOf(request.getSession()), "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getParameter("logout") != null) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            text(response).printf("node: %s%nsigned out%n", NodeName.of(request));
            return;
        }
        HttpSession session = request.getSession();
        Cart cart = cartOf(session);
        String note;
        String login = request.getParameter("login");
        String add = request.getParameter("add");
        String remove = request.getParameter("remove");
        if (login != null) {
            if (!SKU.matcher(login).matches()) {
                badRequest(response, "login: 1 to 40 letters, digits or '-'");
                return;
            }
            request.changeSessionId();
            session.setAttribute("user", login);
            note = "signed in as " + login;
        } else if (add != null) {
            Integer quantity = quantity(request.getParameter("qty"));
            if (!SKU.matcher(add).matches() || quantity == null) {
                badRequest(response, "add: a product code of 1 to 40 letters, digits or '-', qty 1 to " + MAX_QUANTITY);
                return;
            }
            cart.add(add, quantity); // changed in place: no setAttribute
            note = "added " + quantity + " x " + add;
        } else if (remove != null) {
            note = cart.remove(remove) ? "removed " + remove : "no " + remove + " in the cart";
        } else {
            badRequest(response, "expected one of add, remove, login, logout");
            return;
        }
        render(request, response, cart, note);
    }

    private static Cart cartOf(HttpSession session) {
        Cart cart = (Cart) session.getAttribute(Cart.ATTRIBUTE);
        if (cart == null) {
            cart = new Cart();
            session.setAttribute(Cart.ATTRIBUTE, cart);
        }
        return cart;
    }

    private static Integer quantity(String value) {
        if (value == null) {
            return 1;
        }
        try {
            int quantity = Integer.parseInt(value);
            return quantity >= 1 && quantity <= MAX_QUANTITY ? quantity : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void render(HttpServletRequest request, HttpServletResponse response, Cart cart, String note)
            throws IOException {
        HttpSession session = request.getSession();
        PrintWriter out = text(response);
        out.printf("node: %s%n", NodeName.of(request));
        out.printf("session: %s%n", session.getId());
        Object user = session.getAttribute("user");
        out.printf("user: %s%n", user == null ? "-" : user);
        if (!note.isEmpty()) {
            out.printf("done: %s%n", note);
        }
        out.printf("items: %d%n", cart.items().size());
        for (CartItem item : cart.items()) {
            out.printf("  %s x %d%n", item.sku(), item.quantity());
        }
    }

    private static void badRequest(HttpServletResponse response, String message) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        text(response).println(message);
    }

    private static PrintWriter text(HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        return response.getWriter();
    }
}
