package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.config.Setting;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The settings of the {@code jgroups} store; each is a {@code <Manager>} attribute. */
final class JGroupsSettings {

    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,100}");
    /** Labels of letters, digits, - and _ (SRV names start with _service._proto), an optional final dot. */
    private static final Pattern DNS_NAME = Pattern.compile(
            "[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_][A-Za-z0-9_-]{0,62})*\\.?");
    private static final Pattern DNS_SERVER = Pattern.compile("([A-Za-z0-9_.-]+)(:(\\d{1,5}))?");
    private static final Pattern TABLE = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    private static final Pattern HOST_LIST = Pattern.compile(
            "[A-Za-z0-9_.:-]+\\[\\d{1,5}\\](,[A-Za-z0-9_.:-]+\\[\\d{1,5}\\])*");

    static final Setting<Replication> REPLICATION = Setting.oneOf("replication", Replication.ALL,
            "all: every node holds every session; primary-backup: an owner node and 'backups' others hold each session");

    static final Setting<Integer> BACKUPS = Setting.integer("backups", 1, 0, 8,
            "With replication=primary-backup: how many nodes besides the owner hold a copy of each session."
                    + " 0 keeps a single copy, lost when its node leaves.");

    static final Setting<String> CLUSTER_NAME_SETTING = Setting.of("clusterName", "",
            "empty, or 1 to 100 characters of A-Z a-z 0-9 _ . : / -",
            "JGroups cluster that the nodes of this web application join. Empty: session-cluster:<context path>,"
                    + " so that two applications never share sessions.",
            raw -> {
                if (!raw.isEmpty() && !CLUSTER_NAME.matcher(raw).matches()) {
                    throw new IllegalArgumentException();
                }
                return raw;
            });

    static final Setting<Optional<Path>> CONFIG = Setting.of("jgroupsConfig", "",
            "empty, or the path of a readable JGroups XML stack file",
            "A custom JGroups stack; replaces the bundled stacks and every jgroups* network setting below.",
            raw -> {
                if (raw.isEmpty()) {
                    return Optional.empty();
                }
                Path path = Path.of(raw);
                if (!Files.isReadable(path) || Files.isDirectory(path)) {
                    throw new IllegalArgumentException("not a readable file");
                }
                return Optional.of(path);
            });

    static final Setting<StackType> STACK = Setting.oneOf("jgroupsStack", StackType.UDP,
            "Bundled stack, named by how members find each other: udp (IP multicast), tcp (static host list in"
                    + " jgroupsInitialHosts), dns (the addresses of the DNS name jgroupsDnsQuery, e.g. a Kubernetes"
                    + " headless Service) or jdbc (a table in the database at jgroupsJdbcUrl). All but udp talk TCP.");

    static final Setting<InetAddress> BIND_ADDRESS = Setting.of("jgroupsBindAddress", "127.0.0.1",
            "an IP address of this host, or one of site_local, global, link_local, non_loopback, loopback,"
                    + " match-interface:<regex>, match-address:<regex>",
            "Interface the node binds to. The default, 127.0.0.1, forms a cluster of the nodes on this host only"
                    + " (a demo, or tests); set an address the other hosts can reach for a real cluster.",
            JGroupsSettings::address);

    static final Setting<Integer> BIND_PORT = Setting.integer("jgroupsBindPort", 7800, 0, 65535,
            "First port the node listens on (unicast traffic; tcp stack: the port other nodes connect to)."
                    + " The next jgroupsPortRange ports are tried if it is taken; 0: any free port (udp only).");

    static final Setting<Integer> PORT_RANGE = Setting.integer("jgroupsPortRange", 20, 0, 1000,
            "How many ports after jgroupsBindPort a node may take, and the tcp stack probes on each initial host.");

    static final Setting<String> MULTICAST_ADDRESS = Setting.of("jgroupsMulticastAddress", "228.8.8.8",
            "an IPv4 multicast address (224.0.0.0 to 239.255.255.255)",
            "udp stack: multicast group of the cluster.",
            raw -> {
                InetAddress a = address(raw);
                if (!a.isMulticastAddress()) {
                    throw new IllegalArgumentException("not a multicast address");
                }
                return raw;
            });

    static final Setting<Integer> MULTICAST_PORT = Setting.integer("jgroupsMulticastPort", 45588, 1, 65535,
            "udp stack: multicast port of the cluster.");

    static final Setting<String> INITIAL_HOSTS = Setting.of("jgroupsInitialHosts", "",
            "empty, or host[port],host[port],...",
            "tcp stack: where to look for other members (each with up to jgroupsPortRange following ports)."
                    + " Empty: jgroupsBindAddress[jgroupsBindPort], i.e. the nodes of this host.",
            raw -> {
                String compact = raw.replace(" ", "");
                if (!compact.isEmpty() && !HOST_LIST.matcher(compact).matches()) {
                    throw new IllegalArgumentException();
                }
                return compact;
            });

    static final Setting<String> DNS_QUERY = Setting.of("jgroupsDnsQuery", "",
            "empty, or DNS names separated by commas, e.g. session-cluster.shop.svc.cluster.local",
            "dns stack (required there): the DNS name whose records list the members; on Kubernetes the headless"
                    + " Service <service>.<namespace>.svc.cluster.local.",
            raw -> {
                String compact = raw.replace(" ", "");
                if (compact.isEmpty()) {
                    return compact;
                }
                for (String name : compact.split(",", -1)) {
                    if (name.length() > 253 || !DNS_NAME.matcher(name).matches()) {
                        throw new IllegalArgumentException("not a DNS name: [" + name + "]");
                    }
                }
                return compact;
            });

    static final Setting<DnsRecordType> DNS_RECORD_TYPE = Setting.of("jgroupsDnsRecordType", "A", "A, SRV",
            "dns stack: A (addresses; every member listens on jgroupsBindPort) or SRV (host and port per member).",
            raw -> {
                for (DnsRecordType type : DnsRecordType.values()) {
                    if (type.name().equalsIgnoreCase(raw)) {
                        return type;
                    }
                }
                throw new IllegalArgumentException();
            });

    static final Setting<String> DNS_ADDRESS = Setting.of("jgroupsDnsAddress", "",
            "empty, or host or host:port of a DNS server, e.g. 10.96.0.10 or 127.0.0.1:5353",
            "dns stack: the DNS server to ask. Empty: the host's resolver (/etc/resolv.conf), which is what"
                    + " Kubernetes pods want.",
            raw -> {
                if (raw.isEmpty()) {
                    return raw;
                }
                Matcher m = DNS_SERVER.matcher(raw);
                if (!m.matches()) {
                    throw new IllegalArgumentException();
                }
                if (m.group(3) != null) {
                    int port = Integer.parseInt(m.group(3));
                    if (port < 1 || port > 65535) {
                        throw new IllegalArgumentException("port " + port + " is not from 1 to 65535");
                    }
                }
                return raw;
            });

    static final Setting<String> JDBC_URL = Setting.of("jgroupsJdbcUrl", "",
            "empty, or a JDBC URL starting with jdbc:, e.g. jdbc:postgresql://db:5432/app",
            "jdbc stack (required there): the database holding the table of members (its driver must be on the"
                    + " class path). May hold a password (masked in every message and log line).",
            raw -> {
                if (!raw.isEmpty() && !raw.startsWith("jdbc:")) {
                    throw new IllegalArgumentException("must start with jdbc:");
                }
                return raw;
            }).secret();

    static final Setting<String> JDBC_USER = Setting.text("jgroupsJdbcUser", "",
            "jdbc stack: user name for jgroupsJdbcUrl; empty to use the URL's or the driver's default.");

    static final Setting<String> JDBC_PASSWORD = Setting.of("jgroupsJdbcPassword", "", "any text",
            "jdbc stack: password for jgroupsJdbcUrl (masked in every message, never logged).", raw -> raw).secret();

    static final Setting<String> JDBC_TABLE = Setting.of("jgroupsJdbcTable", "jgroups",
            "a letter or _, then up to 62 letters, digits or _; optionally schema.table",
            "jdbc stack: the table of members (JGroups JDBC_PING2's layout), created if missing. One table serves"
                    + " many clusters: its rows carry the cluster name.",
            raw -> {
                if (!TABLE.matcher(raw).matches()) {
                    throw new IllegalArgumentException();
                }
                return raw;
            });

    static final Setting<String> SECRET = Setting.of("jgroupsSecret", "",
            "empty, or a shared secret of at least 16 characters",
            "Encrypts and authenticates all cluster traffic (JGroups SYM_ENCRYPT, AES-256 key derived from the"
                    + " secret and the cluster name). Every node needs the same secret; a node without it can"
                    + " neither join nor read. Masked in every message.",
            raw -> {
                if (!raw.isEmpty() && raw.length() < 16) {
                    throw new IllegalArgumentException("shorter than 16 characters");
                }
                return raw;
            }).secret();

    static final Setting<Integer> TIMEOUT_MILLIS = Setting.integer("jgroupsTimeoutMillis", 5000, 50, 600_000,
            "Longest time, in milliseconds, one store operation waits for the owner and the acknowledgements it needs;"
                    + " then it fails as unavailable.");

    static final Setting<Integer> JOIN_TIMEOUT_MILLIS = Setting.integer("jgroupsJoinTimeoutMillis", 2000, 50, 600_000,
            "How long, in milliseconds, a starting node looks for other members before it forms a cluster alone.");

    static final Setting<Integer> FAILURE_DETECTION_MILLIS = Setting.integer("jgroupsFailureDetectionMillis", 10_000,
            500, 600_000, "A member not heard from for this long, in milliseconds, is suspected and removed"
                    + " (a crashed process is usually noticed sooner, when its sockets close).");

    static final Setting<Integer> MERGE_INTERVAL_MILLIS = Setting.integer("jgroupsMergeIntervalMillis", 10_000,
            100, 600_000, "How often, in milliseconds, members look for other partitions of the cluster to merge with.");

    static final Setting<Integer> TOMBSTONE_SECONDS = Setting.integer("tombstoneSeconds", 3600, 1, 7 * 24 * 3600,
            "How long, in seconds, a node remembers a deleted session id, so a merge after a partition cannot bring"
                    + " the session back; and how long a member that left without a goodbye counts as being on the"
                    + " other side of a partition (expired sessions it owned are not claimed on this side meanwhile)."
                    + " A partition longer than this may resurrect sessions deleted meanwhile and expire a session on"
                    + " both sides.");

    static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.integer("jgroupsMaxMessageBytes", 64 << 20, 1024,
            1 << 30, "Largest message this node accepts (one change set, one session, or one page of state"
                    + " transfer); a larger one is dropped and logged.");

    static final List<Setting<?>> ALL = List.of(REPLICATION, BACKUPS, CLUSTER_NAME_SETTING, CONFIG, STACK, BIND_ADDRESS,
            BIND_PORT, PORT_RANGE, MULTICAST_ADDRESS, MULTICAST_PORT, INITIAL_HOSTS, DNS_QUERY, DNS_RECORD_TYPE, DNS_ADDRESS, JDBC_URL, JDBC_USER,
            JDBC_PASSWORD, JDBC_TABLE, SECRET, TIMEOUT_MILLIS,
            JOIN_TIMEOUT_MILLIS, FAILURE_DETECTION_MILLIS, MERGE_INTERVAL_MILLIS, TOMBSTONE_SECONDS, MAX_MESSAGE_BYTES);

    private JGroupsSettings() {
    }

    private static InetAddress address(String raw) {
        try {
            return org.jgroups.util.Util.getAddress(raw, org.jgroups.util.StackType.IPv4);
        } catch (Exception e) {
            throw new IllegalArgumentException("no such address or interface on this host");
        }
    }
}
