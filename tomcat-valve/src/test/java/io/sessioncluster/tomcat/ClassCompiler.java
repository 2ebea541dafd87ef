package io.sessioncluster.tomcat;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compiles a class at test time into its own directory: a class that exists on one node and not on another. */
final class ClassCompiler {

    private ClassCompiler() {
    }

    /** Compiles {@code source} (of class {@code className}) and returns a loader that sees it, child of {@code parent}. */
    static URLClassLoader compile(Path dir, String className, String source, ClassLoader parent) {
        try {
            Path file = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            Path classes = Files.createDirectories(dir.resolve("classes"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, null, null, "-d", classes.toString(), file.toString());
            if (status != 0) {
                throw new IllegalStateException("javac failed for " + className);
            }
            return new URLClassLoader(new URL[] {classes.toUri().toURL()}, parent);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
