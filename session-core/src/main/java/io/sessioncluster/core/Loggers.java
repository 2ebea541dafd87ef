package io.sessioncluster.core;

import java.util.function.Supplier;

/**
 * Loggers that belong to the library, not to whichever web application first ran its code. Under Tomcat's JULI
 * ({@code ClassLoaderLogManager}) a logger belongs to the context class loader of the thread that creates it; one
 * created during a request of the first web application is reset with that application, so after a redeploy its
 * lines reach no handler, although the library, in Tomcat's {@code lib/}, goes on running. Creating each logger with
 * the context class loader set to the class loader of its owner binds it to the library's loader (or to the
 * application's own, when the library is inside its {@code WEB-INF/lib}).
 */
public final class Loggers {

    private Loggers() {
    }

    /** The {@link System.Logger} named after {@code owner}, bound to {@code owner}'s class loader. */
    public static System.Logger of(Class<?> owner) {
        return created(owner, () -> {
            System.Logger logger = System.getLogger(owner.getName());
            logger.isLoggable(System.Logger.Level.ERROR); // a lazy logger binds to its backend now, not at first use
            return logger;
        });
    }

    /** Runs {@code creation} (a logging framework's factory call) with {@code owner}'s class loader as context. */
    public static <T> T created(Class<?> owner, Supplier<T> creation) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(owner.getClassLoader());
        try {
            return creation.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
