package io.sessioncluster.e2e;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Version 2 of the cart war: the built war with {@code CartItem} recompiled from {@code cart-v2/} (a changed field
 * type), as a developer's next release would ship it.
 */
final class VariantWar {

    private static final String ITEM = "io/sessioncluster/examples/cart/CartItem";

    private VariantWar() {
    }

    static Path build(Path war, Path dir) {
        try {
            Path classes = Files.createDirectories(dir.resolve("cart-v2-classes"));
            URL source = VariantWar.class.getResource("/cart-v2/" + ITEM + ".java");
            if (source == null) {
                throw new IllegalStateException("cart-v2/" + ITEM + ".java missing from the test resources");
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "--release", "17", "-d", classes.toString(),
                    Path.of(source.toURI()).toString());
            if (status != 0) {
                throw new IllegalStateException("javac failed on the cart-v2 CartItem: " + status);
            }
            Path variant = dir.resolve("cart-v2.war");
            try (ZipFile original = new ZipFile(war.toFile());
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(variant))) {
                for (Enumeration<? extends ZipEntry> entries = original.entries(); entries.hasMoreElements(); ) {
                    ZipEntry entry = entries.nextElement();
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    if (entry.getName().equals("WEB-INF/classes/" + ITEM + ".class")) {
                        Files.copy(classes.resolve(ITEM + ".class"), out);
                    } else {
                        try (InputStream in = original.getInputStream(entry)) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
            return variant;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
