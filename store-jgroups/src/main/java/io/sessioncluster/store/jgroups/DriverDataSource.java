package io.sessioncluster.store.jgroups;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A connection per call from the JDBC driver that accepts the URL: what JDBC_PING2 needs for a few statements per
 * view change, without a pool. Handed to JDBC_PING2 as its data source so that the password never becomes one of
 * its properties (which JGroups can print and expose) and no driver class name has to be configured. The driver
 * is looked up through {@link DriverManager}, then through the class loader that was the context class loader when
 * the store opened: under Tomcat the driver may sit in the web application while this library sits in
 * {@code lib/}, where {@code DriverManager} does not let this class see it.
 */
final class DriverDataSource implements DataSource {

    private final String url;
    private final Properties credentials = new Properties();
    private final ClassLoader applicationLoader;
    private volatile Driver driver;

    DriverDataSource(String url, String user, String password) {
        this.url = url;
        if (!user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        this.applicationLoader = Thread.currentThread().getContextClassLoader();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Driver found = driver;
        if (found == null) {
            driver = found = driver();
        }
        Connection connection = found.connect(url, credentials);
        if (connection == null) {
            throw new SQLException("the JDBC driver " + found.getClass().getName() + " declined jgroupsJdbcUrl", "08001");
        }
        return connection;
    }

    private Driver driver() throws SQLException {
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException notVisibleHere) {
            if (applicationLoader != null) {
                for (Driver candidate : ServiceLoader.load(Driver.class, applicationLoader)) {
                    if (candidate.acceptsURL(url)) {
                        return candidate;
                    }
                }
            }
            // Not the URL: it may hold a password.
            throw new SQLException("no JDBC driver on the class path accepts jgroupsJdbcUrl; add the database's driver"
                    + " jar next to the session-cluster jars", "08001", notVisibleHere);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the credentials are jgroupsJdbcUser and jgroupsJdbcPassword");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no driver logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the URL's own options (e.g. PostgreSQL's connectTimeout) apply
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() { // neither the URL nor the credentials
        return "DriverDataSource[jgroupsJdbcUrl]";
    }
}
