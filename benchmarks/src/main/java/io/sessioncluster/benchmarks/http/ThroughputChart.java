package io.sessioncluster.benchmarks.http;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A horizontal bar chart of throughput relative to the baseline (1.0 = Tomcat's StandardManager in the same run),
 * one bar per configuration with figures, coloured by family, with the p99 latency beside it. Java2D, PNG.
 */
final class ThroughputChart {

    private static final Map<String, Color> FAMILY = Map.of(
            "baseline", new Color(0x80, 0x80, 0x80),
            Scenarios.OURS, new Color(0x1f, 0x77, 0xb4),
            "Tomcat HA", new Color(0xff, 0x7f, 0x0e),
            "Redisson", new Color(0xd6, 0x27, 0x28),
            "Spring Session", new Color(0x2c, 0xa0, 0x2c));
    private static final int LABEL_WIDTH = 330;
    private static final int BAR_AREA = 520;
    private static final int ROW_HEIGHT = 30;
    private static final int TOP = 60;

    private ThroughputChart() {
    }

    static void write(List<Row> rows, String subtitle, Path file) throws IOException {
        List<Row> shown = rows.stream().filter(Row::hasFigures).toList();
        double max = Math.max(1.1, shown.stream().mapToDouble(Row::ratio).max().orElse(1.0) * 1.05);
        int width = LABEL_WIDTH + BAR_AREA + 330;
        int height = TOP + shown.size() * ROW_HEIGHT + 50;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Throughput relative to Tomcat's StandardManager (same run)", 12, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, 12, 44);
            for (int i = 0; i < shown.size(); i++) {
                Row row = shown.get(i);
                int y = TOP + i * ROW_HEIGHT;
                g.setColor(Color.BLACK);
                g.drawString(row.scenario().name() + (row.scenario().sticky() ? "" : " *"), 12, y + 19);
                int bar = (int) Math.round(row.ratio() / max * BAR_AREA);
                g.setColor(FAMILY.getOrDefault(row.scenario().family(), Color.DARK_GRAY));
                g.fillRect(LABEL_WIDTH, y + 5, Math.max(1, bar), ROW_HEIGHT - 10);
                g.setColor(Color.BLACK);
                g.drawString(String.format(Locale.ROOT, "%.2f  (p99 %.1f ms)", row.ratio(),
                        row.measurement().p99Micros() / 1000.0), LABEL_WIDTH + bar + 6, y + 19);
            }
            int bottom = TOP + shown.size() * ROW_HEIGHT;
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(LABEL_WIDTH, TOP - 4, LABEL_WIDTH, bottom + 4);
            for (double tick = 0; tick <= max + 1e-9; tick += 0.25) {
                int x = LABEL_WIDTH + (int) Math.round(tick / max * BAR_AREA);
                g.drawLine(x, bottom + 4, x, bottom + 9);
                g.drawString(String.format(Locale.ROOT, "%.2f", tick), x - 12, bottom + 24);
            }
            int one = LABEL_WIDTH + (int) Math.round(1.0 / max * BAR_AREA);
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
            g.drawLine(one, TOP - 4, one, bottom + 4);
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 11));
            g.drawString("* non-sticky (requests alternate between the two nodes)", 12, bottom + 42);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
