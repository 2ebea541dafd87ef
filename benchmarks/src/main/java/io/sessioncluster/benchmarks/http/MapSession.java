package io.sessioncluster.benchmarks.http;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A session as JSP and legacy applications keep it: maps and lists of maps with boxed values, no classes of the
 * application. {@code user} is a HashMap (Long id, strings, a role list, a preferences map); {@code cart} an
 * ArrayList of HashMaps, one per item (String sku and name, Integer quantity, BigDecimal price, Long time added,
 * an ArrayList of String tags), shared with {@code user} under "cart" as applications do; then the same small
 * values as the POJO session. Deterministic (seeded).
 */
final class MapSession {

    private MapSession() {
    }

    static Map<String, Object> session(int items) {
        Random random = new Random(42);
        List<Map<String, Object>> cart = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            Map<String, Object> item = new HashMap<>();
            item.put("sku", String.format("SKU-%06d", random.nextInt(1_000_000)));
            item.put("name", "Item " + (i + 1));
            item.put("quantity", 1 + random.nextInt(4));
            item.put("price", BigDecimal.valueOf(99 + random.nextInt(9_900), 2));
            item.put("addedAt", 1_714_500_000_000L + 420_000L * i);
            item.put("tags", new ArrayList<>(List.of("new", "sale", "cat-" + i % 5)));
            cart.add(item);
        }
        Map<String, Object> user = new HashMap<>();
        user.put("id", 1_000_417L);
        user.put("username", "jdoe");
        user.put("email", "jane.doe@example.com");
        user.put("displayName", "Jane Doe");
        user.put("roles", new ArrayList<>(List.of("CUSTOMER", "PREMIUM")));
        user.put("preferences", new HashMap<>(Map.of("theme", "dark", "newsletter", "weekly", "currency", "EUR")));
        user.put("cart", cart);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("user", user);
        session.put("cart", cart);
        session.put("csrfToken", "b2f1c6e0-5a7d-4c1e-9f7a-0d3e8b6a4c21");
        session.put("visits", 17);
        session.put("lastPage", "/checkout/shipping");
        session.put("loginTime", 1_714_554_930_123L);
        session.put("flash", new ArrayList<>(List.of("Item added to cart")));
        return session;
    }

    /** Changes one item of the cart in place (its quantity), as a page adding one more of it would. */
    @SuppressWarnings("unchecked")
    static void mutate(Object cart, long turn) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) cart;
        Map<String, Object> item = items.get((int) (turn % items.size()));
        item.put("quantity", 1 + (int) (turn % 4));
    }
}
