package io.sessioncluster.store.jdbc;

/** The shared contract on H2. */
class H2SessionStoreIT extends JdbcStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
