package io.sessioncluster.tomcat;

import org.apache.catalina.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A web application's own class in {@code WEB-INF/classes} ({@link #CART}) and a library's in a jar of
 * {@code WEB-INF/lib} ({@link #WIDGET}), compiled at test time so that no other class loader of the test sees them.
 * Both have a {@code (String)} constructor for {@link TestServlet}'s {@code setClass}, and answer their value.
 */
final class WebAppClasses {

    static final String CART = "com.example.shop.Cart";
    static final String WIDGET = "com.acme.lib.Widget";

    private final Path classes;
    private final Path libraryClasses;

    WebAppClasses(Path dir) {
        classes = compiled(dir.resolve("app"), CART);
        libraryClasses = compiled(dir.resolve("lib"), WIDGET);
    }

    private static Path compiled(Path dir, String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String source = "package " + className.substring(0, className.lastIndexOf('.')) + ";\n"
                + "public class " + simple + " implements java.io.Serializable {\n"
                + "  private final java.util.List<String> items = new java.util.ArrayList<>();\n"
                + "  public " + simple + "(String item) { items.add(item); }\n"
                + "  public static class Line implements java.io.Serializable { public String sku = \"x\"; }\n"
                + "  @Override public String toString() { return \"" + simple + "\" + items; }\n"
                + "}\n";
        ClassCompiler.compile(dir, className, source, WebAppClasses.class.getClassLoader());
        return dir.resolve("classes");
    }

    /** Puts the classes into a node's web application before it starts. */
    Consumer<Context> install() {
        return context -> {
            Path docBase = Path.of(context.getDocBase());
            try {
                copyTree(classes, Files.createDirectories(docBase.resolve("WEB-INF/classes")));
                Path lib = Files.createDirectories(docBase.resolve("WEB-INF/lib"));
                try (OutputStream out = Files.newOutputStream(lib.resolve("widgets.jar"));
                     JarOutputStream jar = new JarOutputStream(out);
                     Stream<Path> files = Files.walk(libraryClasses)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        jar.putNextEntry(new JarEntry(libraryClasses.relativize(file).toString().replace('\\', '/')));
                        jar.write(Files.readAllBytes(file));
                        jar.closeEntry();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
    }
}
