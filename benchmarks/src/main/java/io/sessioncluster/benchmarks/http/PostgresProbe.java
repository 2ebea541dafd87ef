package io.sessioncluster.benchmarks.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the nodes sent to PostgreSQL, without a proxy in the path: the kernel's own counters of this JVM's TCP
 * connections to the server ({@code ss -tinp}: {@code bytes_sent}, and {@code data_segs_out}, one per write burst
 * of the driver, i.e. per round trip: pgjdbc sends a statement, or a whole batch, with its Sync in one write), and
 * transactions from {@code pg_stat_database.xact_commit + xact_rollback} of the database. The probe's own
 * connection (opened before the nodes) is left out of the socket counts; its own queries (autocommit, one
 * transaction each) are subtracted from the transactions. PostgreSQL publishes a backend's transaction counts at
 * most once a second, and up to 10 s late once the backend is idle, so transactions are reported under load only
 * (the window is long) and not for the requests measured alone. {@code pg_stat_statements} (statements) is not
 * loaded on the benchmark's server ({@code shared_preload_libraries} is empty). Closing drops the run's tables.
 */
final class PostgresProbe implements StoreProbe, AutoCloseable {

    private static final Pattern PORTS = Pattern.compile("^\\S+\\s+\\d+\\s+\\d+\\s+\\S+:(\\d+)\\s+\\S+:5432\\b");
    private static final Pattern BYTES_SENT = Pattern.compile("\\bbytes_sent:(\\d+)");
    private static final Pattern DATA_SEGS_OUT = Pattern.compile("\\bdata_segs_out:(\\d+)");

    private final Connection connection;
    private final String table;
    private final Set<String> ownPorts;
    private final String pidTag = "pid=" + ProcessHandle.current().pid() + ",";
    private long ownTransactions;

    private PostgresProbe(Connection connection, String table, Set<String> ownPorts) {
        this.connection = connection;
        this.table = table;
        this.ownPorts = ownPorts;
    }

    static PostgresProbe open(String url, String user, String table) throws SQLException, IOException {
        Connection c = DriverManager.getConnection(url, user, "");
        c.setAutoCommit(true);
        Set<String> ports = new HashSet<>();
        for (String[] socket : sockets()) {
            ports.add(socket[0]);
        }
        return new PostgresProbe(c, table, ports);
    }

    @Override
    public synchronized StoreCounters counters() {
        long bytes = 0;
        long segments = 0;
        try {
            for (String[] socket : sockets()) {
                if (socket[1].contains(pidTag) && !ownPorts.contains(socket[0])) {
                    long[] sent = sent(socket[1]);
                    bytes += sent[0];
                    segments += sent[1];
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("ss failed: " + e.getMessage(), e);
        }
        return new StoreCounters(bytes, transactions(), -1, segments);
    }

    /** Socket activity (round trips), not transactions: those reach the statistics late, see the class comment. */
    @Override
    public long activity() {
        return counters().roundTrips();
    }

    @Override
    public boolean liveCommands() {
        return false;
    }

    @Override
    public String describe() {
        return "this JVM's TCP connections to PostgreSQL (ss) and pg_stat_database transactions";
    }

    private long transactions() {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT xact_commit + xact_rollback FROM pg_stat_database"
                     + " WHERE datname = current_database()")) {
            rs.next();
            ownTransactions++;
            return rs.getLong(1) - ownTransactions;
        } catch (SQLException e) {
            throw new IllegalStateException("reading pg_stat_database failed: " + e.getMessage(), e);
        }
    }

    /** {local port, the whole entry} of every TCP connection of this host to port 5432. */
    private static List<String[]> sockets() throws IOException {
        Process p = new ProcessBuilder("ss", "-tinpH", "dst", "127.0.0.1:5432").redirectErrorStream(true).start();
        try (InputStream in = p.getInputStream()) {
            return parseSockets(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /**
     * Parses {@code ss -tinpH} output: each connection is a line with the states, queues and addresses (and the
     * owning process), followed by an indented line of TCP counters.
     */
    static List<String[]> parseSockets(String ssOutput) {
        List<String[]> sockets = new ArrayList<>();
        String[] lines = ssOutput.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PORTS.matcher(lines[i]);
            if (m.find()) {
                boolean counters = i + 1 < lines.length && !PORTS.matcher(lines[i + 1]).find();
                sockets.add(new String[] {m.group(1), lines[i] + (counters ? lines[i + 1] : "")});
            }
        }
        return sockets;
    }

    /** {bytes sent, data segments sent} of one entry of {@link #parseSockets}. */
    static long[] sent(String entry) {
        return new long[] {find(BYTES_SENT, entry), find(DATA_SEGS_OUT, entry)};
    }

    private static long find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Drops the run's tables (after the nodes closed their pools), then closes the probe's connection. */
    @Override
    public void close() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table + "_attributes, " + table + "_evictions, " + table
                    + "_sessions CASCADE");
        } finally {
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL tables " + table + "_*";
    }
}
