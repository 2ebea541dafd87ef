package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.StoreException;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.PING;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.UDP;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds the JGroups channel of one node: a custom XML stack ({@code jgroupsConfig}), or one of the bundled
 * stacks (udp, tcp, dns, jdbc), assembled here so that every setting maps onto a protocol property, with SYM_ENCRYPT
 * added when {@code jgroupsSecret} is set. The bundled stacks differ only in transport and discovery; the
 * discoveries without multicast build their protocol in {@link DnsDiscovery} and {@link JdbcDiscovery}.
 */
record JGroupsStack(Optional<Path> config, StackType type, InetAddress bindAddress, int bindPort, int portRange,
                    String multicastAddress, int multicastPort, String initialHosts, DnsDiscovery dns,
                    JdbcDiscovery jdbc, String secret, int joinTimeoutMillis, int failureDetectionMillis,
                    int mergeIntervalMillis) {

    /** The stack the {@code jgroups*} settings describe. */
    static JGroupsStack from(Settings settings) {
        return new JGroupsStack(settings.get(JGroupsSettings.CONFIG), settings.get(JGroupsSettings.STACK),
                settings.get(JGroupsSettings.BIND_ADDRESS), settings.get(JGroupsSettings.BIND_PORT),
                settings.get(JGroupsSettings.PORT_RANGE), settings.get(JGroupsSettings.MULTICAST_ADDRESS),
                settings.get(JGroupsSettings.MULTICAST_PORT), settings.get(JGroupsSettings.INITIAL_HOSTS),
                DnsDiscovery.from(settings), JdbcDiscovery.from(settings), settings.get(JGroupsSettings.SECRET), settings.get(JGroupsSettings.JOIN_TIMEOUT_MILLIS),
                settings.get(JGroupsSettings.FAILURE_DETECTION_MILLIS),
                settings.get(JGroupsSettings.MERGE_INTERVAL_MILLIS));
    }

    /** PBKDF2 rounds: a cost paid once per node start, making a guessed secret expensive to test. */
    private static final int KEY_ROUNDS = 65_536;

    JChannel channel(String clusterName) {
        try {
            if (config.isPresent()) {
                try (InputStream in = Files.newInputStream(config.get())) {
                    return new JChannel(in);
                }
            }
            return new JChannel(protocols(clusterName));
        } catch (Exception e) {
            throw new StoreException("cannot create the JGroups channel"
                    + config.map(p -> " from jgroupsConfig [" + p + "]").orElse("") + ": " + e.getMessage(), e);
        }
    }

    List<Protocol> protocols(String clusterName) throws Exception {
        List<Protocol> stack = new ArrayList<>();
        TP transport = type.tcp() ? new TCP() : udp();
        transport.setValue("bind_addr", bindAddress);
        transport.setValue("bind_port", bindPort);
        transport.setValue("port_range", portRange);
        transport.disableDiagnostics();
        transport.enableStats(true); // message and byte counters, read by JGroupsMetrics
        stack.add(transport);
        Protocol discovery = switch (type) {
            case UDP -> new PING();
            case TCP -> tcpPing();
            case DNS -> dns.protocol();
            case JDBC -> jdbc.protocol();
        };
        // Several discovery rounds within the join timeout: one lost datagram must not split a starting cluster.
        discovery.setValue("num_discovery_runs", 3);
        stack.add(discovery);
        stack.add(new MERGE3().setMinInterval(mergeIntervalMillis / 2).setMaxInterval(mergeIntervalMillis)
                .setCheckInterval(mergeIntervalMillis * 2L));
        stack.add(new FD_SOCK2());
        stack.add(new FD_ALL3().setTimeout(failureDetectionMillis).setInterval(Math.max(100, failureDetectionMillis / 4)));
        stack.add(new VERIFY_SUSPECT2().setTimeout(Math.max(100, failureDetectionMillis / 4)));
        if (!secret.isEmpty()) {
            stack.add(new SYM_ENCRYPT().setSecretKey(key(secret, clusterName)));
        }
        stack.add(new NAKACK2().setXmitInterval(500));
        stack.add(new UNICAST3().setXmitInterval(500));
        stack.add(new STABLE());
        // A member that cannot join (no key, or a coordinator not answering) starts alone after 3 tries; MERGE3 heals it.
        stack.add(new GMS().setJoinTimeout(joinTimeoutMillis).setMaxJoinAttempts(3).printLocalAddress(false));
        stack.add(new UFC());
        stack.add(new MFC());
        stack.add(new FRAG4());
        return stack;
    }

    private TCPPING tcpPing() {
        TCPPING ping = new TCPPING();
        ping.setInitialHosts(hosts());
        ping.setPortRange(portRange);
        return ping;
    }

    private UDP udp() throws Exception {
        UDP udp = new UDP();
        udp.setMulticastAddress(InetAddress.getByName(multicastAddress));
        udp.setMulticastPort(multicastPort);
        // On the loopback interface a TTL of 0 keeps datagrams on this host, which is all it can reach anyway.
        udp.setIpTTL(bindAddress.isLoopbackAddress() ? 0 : 8);
        return udp;
    }

    private List<InetSocketAddress> hosts() {
        List<InetSocketAddress> hosts = new ArrayList<>();
        if (initialHosts.isEmpty()) {
            hosts.add(new InetSocketAddress(bindAddress, bindPort));
            return hosts;
        }
        for (String entry : initialHosts.split(",")) {
            int open = entry.indexOf('[');
            hosts.add(new InetSocketAddress(entry.substring(0, open),
                    Integer.parseInt(entry.substring(open + 1, entry.length() - 1))));
        }
        return hosts;
    }

    /** AES-256 from the shared secret; the cluster name salts it so two clusters with one secret differ. */
    static SecretKey key(String secret, String clusterName) {
        try {
            PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(),
                    ("session-cluster/" + clusterName).getBytes(StandardCharsets.UTF_8), KEY_ROUNDS, 256);
            byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            spec.clearPassword();
            return new SecretKeySpec(raw, "AES");
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot derive the cluster key from jgroupsSecret", e);
        }
    }

    @Override
    public String toString() { // never the secret
        return "JGroupsStack[" + config.map(Path::toString).orElse(type.name().toLowerCase()) + ", bind=" + bindAddress
                + ", encrypted=" + !secret.isEmpty() + "]";
    }
}
