package io.sessioncluster.store.jdbc;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.testkit.SessionStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** The shared {@link SessionStoreContract} on one database, with tables of a random prefix dropped afterwards. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoreContract extends SessionStoreContract {

    private final String prefix = TestDatabase.randomPrefix(getClass().getSimpleName().replace("SessionStoreIT", ""));
    private boolean created;

    abstract TestDatabase database();

    @Override
    protected SessionStore openStore() {
        return database().open(prefix);
    }

    @Override
    protected void clearBackend() {
        if (!created) {
            openStore().close(); // creates the tables
            created = true;
        }
        database().clear(prefix);
    }

    @AfterAll
    void dropTables() {
        database().dropTables(prefix);
    }
}
