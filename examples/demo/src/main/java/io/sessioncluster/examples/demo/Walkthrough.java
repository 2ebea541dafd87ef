package io.sessioncluster.examples.demo;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The scripted tour: a session created on the first node, changed on the second, read on the third, and still
 * there, route rewritten, after the first node is killed. Each step checks what it shows and throws
 * {@link WalkthroughFailure} if the cluster got it wrong.
 */
final class Walkthrough {

    private final PrintStream out;

    Walkthrough(PrintStream out) {
        this.out = out;
    }

    /** Runs the tour on three live nodes; kills {@code nodes.get(0)} on the way. */
    void run(List<NodeProcess> nodes) {
        NodeProcess first = nodes.get(0);
        NodeProcess second = nodes.get(1);
        NodeProcess third = nodes.get(2);
        DemoBrowser browser = new DemoBrowser();

        step("1. A shopper puts 2 apples in the cart on " + first.name());
        CartPage page = browser.post(first, "?add=apple&qty=2");
        show(page);
        expect(page, first, Map.of("apple", 2));
        String createdId = page.sessionId();

        step("2. The next request lands on " + second.name() + ": the cart is there, and 3 pears go in");
        page = browser.post(second, "?add=pear&qty=3");
        show(page);
        expect(page, second, Map.of("apple", 2, "pear", 3));

        step("3. " + third.name() + " sees both changes, and one more apple is added (the cart changed in place)");
        page = browser.post(third, "?add=apple");
        show(page);
        expect(page, third, Map.of("apple", 3, "pear", 3));

        step("4. " + first.name() + ", where the session was created, is killed (SIGKILL)");
        first.kill();
        out.println("   " + first.name() + " is gone");

        step("5. The shopper's next request goes to " + second.name() + ": nothing acknowledged is lost");
        page = browser.get(second);
        show(page);
        expect(page, second, Map.of("apple", 3, "pear", 3));
        if (!baseId(page.sessionId()).equals(baseId(createdId))) {
            throw new WalkthroughFailure("the session id changed from " + createdId + " to " + page.sessionId());
        }
        out.println("   same session, its route now points at " + second.name()
                + " (" + createdId + " -> " + page.sessionId() + ")");
        out.println();
        out.println("Walkthrough passed.");
    }

    private void expect(CartPage page, NodeProcess node, Map<String, Integer> items) {
        if (!page.node().equals(node.name())) {
            throw new WalkthroughFailure("expected " + node.name() + " to answer, got " + page.node());
        }
        if (!page.items().equals(items)) {
            throw new WalkthroughFailure("expected " + items + " on " + node.name() + ", got " + page.items());
        }
    }

    private void step(String text) {
        out.println();
        out.println(text);
    }

    private void show(CartPage page) {
        out.println("   " + page.node() + " answered: session " + page.sessionId() + ", " + page.describe());
    }

    private static String baseId(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
