package io.sessioncluster.tomcat;

import java.util.ArrayList;
import java.util.List;

/** What a test fixture started, closed newest first when the test is done. */
final class Started {

    private final List<AutoCloseable> items = new ArrayList<>();

    /** Closes {@code closeable} after the test (before anything kept earlier). */
    <T extends AutoCloseable> T keep(T closeable) {
        items.add(0, closeable);
        return closeable;
    }

    /** {@code closeable} was closed during the test: not again afterwards. */
    void forget(AutoCloseable closeable) {
        items.remove(closeable);
    }

    void closeAll() throws Exception {
        try {
            for (AutoCloseable item : items) {
                item.close();
            }
        } finally {
            items.clear();
        }
    }
}
