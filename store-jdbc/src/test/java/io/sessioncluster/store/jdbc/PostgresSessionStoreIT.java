package io.sessioncluster.store.jdbc;

/** The shared contract on Postgres. */
class PostgresSessionStoreIT extends JdbcStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
