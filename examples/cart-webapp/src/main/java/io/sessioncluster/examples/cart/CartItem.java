package io.sessioncluster.examples.cart;

import java.io.Serial;
import java.io.Serializable;

/** One line of the cart. A class that exists only inside the web application, as application classes do. */
public final class CartItem implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private String sku;
    private int quantity;

    CartItem() {
        // for the codecs
    }

    CartItem(String sku, int quantity) {
        this.sku = sku;
        this.quantity = quantity;
    }

    String sku() {
        return sku;
    }

    int quantity() {
        return quantity;
    }

    void add(int more) {
        quantity += more;
    }
}
