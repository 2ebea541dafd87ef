package io.sessioncluster.store.jdbc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The table prefix a test class uses on each database, created on first use and dropped when the class is done. */
final class TablePrefixes {

    private final String label;
    private final Map<String, String> byDatabase = new ConcurrentHashMap<>();

    TablePrefixes(String label) {
        this.label = label;
    }

    /** The prefix for {@code db}, a new random one the first time. */
    String of(TestDatabase db) {
        return of(db, prefix -> { });
    }

    /** As {@link #of(TestDatabase)}, running {@code created} once with a new prefix (to create tables, say). */
    String of(TestDatabase db, Consumer<String> created) {
        return byDatabase.computeIfAbsent(db.name(), name -> {
            String prefix = TestDatabase.randomPrefix(label + name);
            created.accept(prefix);
            return prefix;
        });
    }

    /** The prefix used on {@code db}, or null if none was. */
    String used(TestDatabase db) {
        return byDatabase.get(db.name());
    }

    void dropAll(List<TestDatabase> databases) {
        for (TestDatabase db : databases) {
            String prefix = byDatabase.get(db.name());
            if (prefix != null) {
                db.dropTables(prefix);
            }
        }
    }
}
