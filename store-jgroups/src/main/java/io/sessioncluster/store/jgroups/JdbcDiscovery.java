package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.config.Settings;
import org.jgroups.protocols.JDBC_PING2;

/**
 * The discovery of the jdbc stack: JGroups' JDBC_PING2 over a table that every member of every cluster using it
 * shares, one row per member (its JGroups address, logical name, cluster name, {@code ip:port} and whether it is
 * the coordinator). A starting member writes its row and reads those of its cluster to find the others; a member
 * that leaves deletes its row. A crashed member cannot, so the coordinator removes every row of its cluster that is
 * not in the new view at each view change ({@code remove_all_data_on_view_change}, as JGroups advises for shared
 * stores). During a partition each side's coordinator removes the other side's rows; a coordinator that finds its
 * own row gone writes it again at its next merge check ({@code write_data_on_find}), else the sides could no longer
 * find each other through the table and never merge.
 *
 * <p>The statements are JDBC_PING2's own layout with the table name filled in: plain SQL that PostgreSQL,
 * MariaDB/MySQL, H2, Oracle and SQL Server all accept. The table is created at start if the statement succeeds; a
 * failure (it exists, or the user may not create tables) is not an error, JGroups logs it at debug level.
 *
 * @param password never logged: not in {@link #toString()}, and handed to JGroups only inside the data source
 */
record JdbcDiscovery(String url, String user, String password, String table) {

    static JdbcDiscovery from(Settings settings) {
        return new JdbcDiscovery(settings.get(JGroupsSettings.JDBC_URL), settings.get(JGroupsSettings.JDBC_USER),
                settings.get(JGroupsSettings.JDBC_PASSWORD), settings.get(JGroupsSettings.JDBC_TABLE));
    }

    JDBC_PING2 protocol() {
        JDBC_PING2 ping = new JDBC_PING2();
        ping.setDataSource(new DriverDataSource(url, user, password));
        ping.setInitializeSql("CREATE TABLE " + table + " (address varchar(200) NOT NULL, name varchar(200),"
                + " cluster varchar(200) NOT NULL, ip varchar(200) NOT NULL, coord boolean, PRIMARY KEY (address))");
        ping.setInsertSingleSql("INSERT INTO " + table + " (address, name, cluster, ip, coord) VALUES (?, ?, ?, ?, ?)");
        ping.setDeleteSingleSql("DELETE FROM " + table + " WHERE address=?");
        ping.setClearSql("DELETE FROM " + table + " WHERE cluster=?");
        ping.setSelectAllPingdataSql("SELECT address, name, ip, coord FROM " + table + " WHERE cluster=?");
        ping.setValue("remove_all_data_on_view_change", true);
        ping.setValue("write_data_on_find", true);
        return ping;
    }

    @Override
    public String toString() { // the URL may hold a password too
        return "JdbcDiscovery[table=" + table + ", user=" + user + "]";
    }
}
