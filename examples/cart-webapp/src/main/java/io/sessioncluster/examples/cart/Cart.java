package io.sessioncluster.examples.cart;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The shopping cart kept in the session under {@link #ATTRIBUTE}. The servlet changes it in place, without calling
 * {@code setAttribute} again, the way applications usually do; the session manager must still replicate it.
 */
public final class Cart implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final String ATTRIBUTE = "cart";

    private final List<CartItem> items = new ArrayList<>();

    void add(String sku, int quantity) {
        for (CartItem item : items) {
            if (item.sku().equals(sku)) {
                item.add(quantity);
                return;
            }
        }
        items.add(new CartItem(sku, quantity));
    }

    boolean remove(String sku) {
        return items.removeIf(item -> item.sku().equals(sku));
    }

    List<CartItem> items() {
        return items;
    }
}
