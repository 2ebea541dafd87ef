package io.sessioncluster.store.jdbc;

/** The shared contract on MariaDB. */
class MariaDbSessionStoreIT extends JdbcStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.mariadb();
    }
}
