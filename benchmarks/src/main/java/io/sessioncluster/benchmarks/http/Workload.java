package io.sessioncluster.benchmarks.http;

import io.sessioncluster.core.testing.ShopModel;

import java.util.Locale;
import java.util.Map;

/**
 * What the application does and keeps: the session's shape ({@code --shape}), the page's work
 * ({@code --page}) and the cart's length ({@code --cart-items}).
 */
record Workload(int cartItems, Shape shape, Page page) {

    /** The session's attributes. */
    enum Shape {
        /** {@code ShopModel.session}: classes of the application, a graph with cycles. */
        POJO,
        /** {@link MapSession}: HashMaps and ArrayLists of HashMaps, boxed values, BigDecimal prices. */
        MAPS;

        Map<String, Object> session(int items) {
            return this == POJO ? ShopModel.session(items) : MapSession.session(items);
        }
    }

    /** The page's own work besides the session. */
    enum Page {
        /** Answers "ok": only Tomcat and the session cost anything. */
        TRIVIAL,
        /** Renders {@link CatalogPage} (about 0.5 ms of CPU) on every request. */
        RENDER
    }

    static Workload parse(int cartItems, String shape, String page) {
        return new Workload(cartItems, Shape.valueOf(shape.toUpperCase(Locale.ROOT)),
                Page.valueOf(page.toUpperCase(Locale.ROOT)));
    }

    String shapeName() {
        return shape.name().toLowerCase(Locale.ROOT);
    }

    String pageName() {
        return page.name().toLowerCase(Locale.ROOT);
    }
}
