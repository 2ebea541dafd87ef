package io.sessioncluster.benchmarks.http;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The work of rendering a page from a template, for the {@code render} workload: an HTML product list of a
 * fixed catalog (48 products: escaped names, prices as BigDecimal with tax and rounding, tag lists), built with a
 * StringBuilder, {@link #PASSES} times. A fixed amount of work, not a fixed time: every configuration's servlet
 * does exactly the same; what it costs on the machine of a run is measured ({@link #microsPerRender}) and
 * printed with the workload. About 0.5 ms of CPU on the 2-core benchmark machine.
 */
final class CatalogPage {

    static final int PASSES = 5;
    private static final BigDecimal TAX = new BigDecimal("1.19");

    private record Product(String name, BigDecimal price, List<String> tags) {
    }

    private final List<Product> products = new ArrayList<>();

    CatalogPage() {
        for (int i = 0; i < 48; i++) {
            products.add(new Product("Product <" + i + "> & \"friends\" " + "x".repeat(i % 7),
                    BigDecimal.valueOf(199 + 37L * i, 2), List.of("new", "sale", "cat-" + i % 5, "brand-" + i % 3)));
        }
    }

    /** The page, rendered {@link #PASSES} times; returns the length of the last rendering (the body's size). */
    int render(int cartSize) {
        int length = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            length = renderOnce(cartSize, pass).length();
        }
        return length;
    }

    private StringBuilder renderOnce(int cartSize, int pass) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<html><head><title>Catalog</title></head><body><h1>Catalog page ").append(pass)
                .append("</h1><p>").append(cartSize).append(" items in your cart</p><ul>");
        for (Product p : products) {
            html.append("<li class=\"product\"><span class=\"name\">");
            escape(p.name(), html);
            BigDecimal gross = p.price().multiply(TAX).setScale(2, RoundingMode.HALF_EVEN);
            html.append("</span> <span class=\"price\">").append(gross.toPlainString()).append(" EUR</span>")
                    .append(String.format("<span class=\"net\">%.2f</span>", p.price().doubleValue()));
            for (String tag : p.tags()) {
                html.append("<em>");
                escape(tag, html);
                html.append("</em>");
            }
            html.append("</li>");
        }
        return html.append("</ul></body></html>");
    }

    private static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
    }

    /** CPU microseconds of one {@link #render} on this machine, after a warm-up (one thread). */
    static double microsPerRender() {
        CatalogPage page = new CatalogPage();
        long sink = 0;
        long warm = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warm) {
            sink += page.render(14);
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int n = 1_000;
        for (int i = 0; i < n; i++) {
            sink += page.render(14);
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return cpu / 1_000.0 / n;
    }

    public static void main(String[] args) {
        System.out.printf("%.1f us per render (%d passes)%n", microsPerRender(), PASSES);
    }
}
