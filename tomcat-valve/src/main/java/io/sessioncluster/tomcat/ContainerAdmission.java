package io.sessioncluster.tomcat;

import org.apache.catalina.WebResource;
import org.apache.catalina.WebResourceRoot;

import java.util.Set;
import java.util.function.Predicate;

/**
 * The classes a web application may keep in its session without listing them in {@code allowedClasses}, besides the
 * core's JDK types: Tomcat's own session types (a principal, a saved login request and what it holds), and, with
 * {@code allowApplicationClasses="true"} (the default), the classes the application defines itself in
 * {@code WEB-INF/classes}. Classes of libraries ({@code WEB-INF/lib}, Tomcat's {@code lib/}) still need listing:
 * that is where gadget chains live.
 *
 * <p>Decided from the class file's resource in the application's resources, never by loading the class: a class
 * name may come from stored bytes. Tomcat mounts the jars of {@code WEB-INF/lib} under {@code /WEB-INF/classes}
 * too, so the resource must also not come from a jar.
 */
final class ContainerAdmission implements Predicate<String> {

    /** Tomcat's session types: data holders whose serialization runs no code of their own choosing. */
    static final Set<String> TOMCAT_SESSION_TYPES = Set.of(
            "org.apache.catalina.realm.GenericPrincipal",
            "org.apache.catalina.realm.GenericPrincipal$SerializablePrincipal", // its serial form (writeReplace)
            "org.apache.catalina.authenticator.SavedRequest",
            "jakarta.servlet.http.Cookie",
            "org.apache.tomcat.util.buf.ByteChunk",
            "org.apache.tomcat.util.buf.AbstractChunk"); // ByteChunk's serializable superclass

    private static final String CLASSES = "/WEB-INF/classes/";

    private final WebResourceRoot resources;

    /** @param resources the application's resources, or null to admit Tomcat's session types only */
    ContainerAdmission(WebResourceRoot resources) {
        this.resources = resources;
    }

    @Override
    public boolean test(String className) {
        return TOMCAT_SESSION_TYPES.contains(className) || (resources != null && definedByApplication(className));
    }

    private boolean definedByApplication(String className) {
        WebResource resource = resources.getClassLoaderResource("/" + className.replace('.', '/') + ".class");
        if (resource == null || !resource.exists() || !resource.getWebappPath().startsWith(CLASSES)) {
            return false;
        }
        String url = String.valueOf(resource.getURL()); // file: (a directory) or war: (a packed war), not jar:
        return !url.startsWith("jar:") && !url.contains("!/") && !url.contains("/WEB-INF/lib/");
    }
}
