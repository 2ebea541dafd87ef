package io.sessioncluster.core.testing;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles classes at test time, each set into its own class loader: two versions of one class (class evolution
 * after a redeploy), or a class that one "node" has and another lacks.
 */
public final class RuntimeClasses {

    private RuntimeClasses() {
    }

    /**
     * Compiles {@code sources} (binary class name to source text) under {@code dir} and returns a loader that
     * sees them, child of the test class path.
     */
    public static URLClassLoader compile(Path dir, Map<String, String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("tests need a JDK (javax.tools compiler), not a JRE");
        }
        try {
            Path src = Files.createDirectories(dir.resolve("src"));
            Path classes = Files.createDirectories(dir.resolve("classes"));
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
                files.add(file);
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
                boolean ok = compiler.getTask(null, fileManager, diagnostics,
                        List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path")),
                        null, fileManager.getJavaFileObjectsFromPaths(files)).call();
                if (!ok) {
                    throw new IllegalStateException("compilation failed: " + diagnostics.getDiagnostics());
                }
            }
            return new URLClassLoader(new URL[] {classes.toUri().toURL()}, RuntimeClasses.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new instance of {@code className} from {@code loader} with the given fields set by reflection. */
    public static Object newInstance(ClassLoader loader, String className, Map<String, Object> fields) {
        try {
            Class<?> type = Class.forName(className, true, loader);
            Object instance = type.getDeclaredConstructor().newInstance();
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                Field f = type.getDeclaredField(field.getKey());
                f.setAccessible(true);
                f.set(instance, field.getValue());
            }
            return instance;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a field by reflection. */
    public static Object field(Object instance, String name) {
        try {
            Field f = instance.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records every class name asked of it, so a test can prove a name was refused before any load. */
    public static final class RecordingLoader extends ClassLoader {
        private final Set<String> requested = ConcurrentHashMap.newKeySet();

        public RecordingLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }

        public Set<String> requested() {
            return requested;
        }
    }
}
