package io.sessioncluster.examples.cart;

import java.io.Serial;
import java.io.Serializable;

/**
 * Version 2 of the cart line, for the redeploy test: {@code quantity} changed from {@code int} to {@code String}
 * (same methods, so the rest of the application is unchanged). A cart stored by version 1 cannot be decoded into
 * it: the documented outcome is that the attribute is dropped with a warning, never a 500.
 */
public final class CartItem implements Serializable {

    @Serial
    private static final long serialVersionUID = 2L;

    private String sku;
    private String quantity;

    CartItem() {
        // for the codecs
    }

    CartItem(String sku, int quantity) {
        this.sku = sku;
        this.quantity = Integer.toString(quantity);
    }

    String sku() {
        return sku;
    }

    int quantity() {
        return Integer.parseInt(quantity);
    }

    void add(int more) {
        quantity = Integer.toString(quantity() + more);
    }
}
