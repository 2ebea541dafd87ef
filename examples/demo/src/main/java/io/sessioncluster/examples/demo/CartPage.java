package io.sessioncluster.examples.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/** The cart servlet's plain-text answer, read back into its fields. */
record CartPage(String node, String sessionId, String user, Map<String, Integer> items) {

    static CartPage parse(String body) {
        String node = null;
        String session = null;
        String user = null;
        Map<String, Integer> items = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("node: ")) {
                node = line.substring(6).trim();
            } else if (line.startsWith("session: ")) {
                session = line.substring(9).trim();
            } else if (line.startsWith("user: ")) {
                user = line.substring(6).trim();
            } else if (line.startsWith("  ")) {
                String[] parts = line.trim().split(" x ");
                items.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        if (node == null || session == null) {
            throw new WalkthroughFailure("not a cart page: " + body);
        }
        return new CartPage(node, session, user, items);
    }

    String describe() {
        return items.isEmpty() ? "empty cart" : items.toString().replace("=", " x ");
    }
}
