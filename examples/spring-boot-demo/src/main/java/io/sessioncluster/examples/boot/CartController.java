package io.sessioncluster.examples.boot;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain {@link HttpSession} code, as in any servlet application: the clustering is invisible here. Each answer names
 * the node that served it, so that a person (or a test) sees the cart survive a change of node.
 */
@RestController
class CartController {

    private static final String CART = "cart";

    private final String node;
    private final SessionEvents events;

    CartController(@Value("${demo.node:${random.uuid}}") String node, SessionEvents events) {
        this.node = node;
        this.events = events;
    }

    /** What this instance's session listener saw. */
    @GetMapping("/events")
    String events() {
        return events.summary();
    }

    /** Adds an item; mutates the stored list in place, which the manager notices (no setAttribute needed). */
    @PostMapping("/cart")
    String add(@RequestParam("item") String item, HttpSession session) {
        @SuppressWarnings("unchecked")
        List<String> cart = (List<String>) session.getAttribute(CART);
        if (cart == null) {
            cart = new ArrayList<>();
            session.setAttribute(CART, cart);
        }
        cart.add(item);
        session.setAttribute(LAST, new LastItem(item)); // a class of the application's own: no allowed-classes needed
        return answer(cart);
    }

    /** The item added last, kept in the session as an object of the application's own class. */
    @GetMapping("/cart/last")
    ResponseEntity<String> last(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object last = session == null ? null : session.getAttribute(LAST);
        return last instanceof LastItem item ? ResponseEntity.ok(node + ": " + item.item())
                : ResponseEntity.status(404).body(node + ": nothing");
    }

    /** The application's own session class (a record, so immutable: never re-checked for in-place changes). */
    record LastItem(String item) implements java.io.Serializable {
    }

    @GetMapping("/cart")
    ResponseEntity<String> show(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return ResponseEntity.status(404).header("X-Node", node).body("no session");
        }
        @SuppressWarnings("unchecked")
        List<String> cart = (List<String>) session.getAttribute(CART);
        return ResponseEntity.ok(answer(cart == null ? List.of() : cart));
    }

    @PostMapping("/logout")
    String logout(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return "bye from " + node;
    }

    private static final String LAST = "lastItem";

    private String answer(List<String> cart) {
        return node + ": " + String.join(",", cart);
    }
}
