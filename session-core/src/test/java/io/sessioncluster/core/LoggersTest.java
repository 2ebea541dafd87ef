package io.sessioncluster.core;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoggersTest {

    /** Stands in for a web application's class loader, the context of a request thread. */
    private final ClassLoader application = new URLClassLoader(new URL[0], null);

    @Test
    void aLoggerIsCreatedWithItsOwnersClassLoaderAsContextWhateverTheThreadRuns() {
        AtomicReference<ClassLoader> during = new AtomicReference<>();
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(application);
        try {
            String created = Loggers.created(LoggersTest.class, () -> {
                during.set(Thread.currentThread().getContextClassLoader());
                return "logger";
            });
            assertThat(created).isEqualTo("logger");
            assertThat(during.get()).isSameAs(LoggersTest.class.getClassLoader());
            assertThat(thread.getContextClassLoader()).as("restored").isSameAs(application);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void theContextClassLoaderIsRestoredWhenCreationFails() {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(application);
        try {
            assertThatThrownBy(() -> Loggers.created(LoggersTest.class, () -> {
                throw new IllegalStateException("no logging backend");
            })).hasMessage("no logging backend");
            assertThat(thread.getContextClassLoader()).isSameAs(application);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void aSystemLoggerIsNamedAfterItsOwner() {
        assertThat(Loggers.of(LoggersTest.class).getName()).isEqualTo(LoggersTest.class.getName());
    }
}
