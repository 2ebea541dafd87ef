package io.sessioncluster.benchmarks.http;

import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.ha.session.ClusterSessionListener;
import org.apache.catalina.ha.session.DeltaManager;
import org.apache.catalina.ha.session.JvmRouteBinderValve;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.transport.ReplicationTransmitter;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.apache.catalina.tribes.transport.nio.PooledParallelSender;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tomcat's own clustering ({@code tomcat-catalina-ha}): two nodes, each with a {@link SimpleTcpCluster} whose
 * Tribes channel listens on loopback, members declared statically (no multicast needed), and the settings of
 * Tomcat's cluster how-to: {@code channelSendOptions="8"} (asynchronous), {@link ReplicationValve},
 * {@link JvmRouteBinderValve}, {@link ClusterSessionListener}. Bytes and messages are counted by a
 * {@link CountingInterceptor} at the bottom of each channel.
 */
final class TomcatHa {

    private TomcatHa() {
    }

    static Scenario.Factory delta() {
        return env -> start(env, DeltaManager::new);
    }

    static Scenario.Factory backup() {
        return env -> start(env, BackupManager::new);
    }

    private static Deployment start(BenchEnv env, Supplier<ClusterManager> template) throws Exception {
        int[] ports = {freePort(), freePort()};
        String[] ids = {uniqueId(1), uniqueId(2)};
        CountingInterceptor[] counters = {new CountingInterceptor(), new CountingInterceptor()};
        return new Deployment(TwoNodes.start(env, true, i -> (tomcat, context) -> {
            SimpleTcpCluster cluster = new SimpleTcpCluster();
            cluster.setChannelSendOptions(Channel.SEND_OPTIONS_ASYNCHRONOUS);
            cluster.setChannel(channel(ports[i], ids[i], ports[1 - i], ids[1 - i], counters[i]));
            cluster.setManagerTemplate(template.get());
            cluster.addValve(new ReplicationValve());
            cluster.addValve(new JvmRouteBinderValve());
            cluster.addClusterListener(new ClusterSessionListener());
            tomcat.getEngine().setCluster(cluster);
            context.setDistributable(true);
        }), new TribesProbe(List.of(counters)));
    }

    private static GroupChannel channel(int port, String id, int peerPort, String peerId, CountingInterceptor counter)
            throws IOException {
        GroupChannel channel = new GroupChannel();
        NioReceiver receiver = new NioReceiver();
        receiver.setAddress("127.0.0.1");
        receiver.setPort(port);
        receiver.setAutoBind(0);
        channel.setChannelReceiver(receiver);
        ReplicationTransmitter sender = new ReplicationTransmitter();
        sender.setTransport(new PooledParallelSender());
        channel.setChannelSender(sender);
        StaticMembershipService membership = new StaticMembershipService();
        StaticMember local = new StaticMember();
        local.setUniqueId(id);
        membership.setLocalMember(local);
        StaticMember peer = new StaticMember();
        peer.setHost("127.0.0.1");
        peer.setPort(peerPort);
        peer.setUniqueId(peerId);
        membership.addStaticMember(peer);
        channel.setMembershipService(membership);
        channel.addInterceptor(new TcpFailureDetector());
        channel.addInterceptor(new MessageDispatchInterceptor());
        channel.addInterceptor(counter);
        return channel;
    }

    /** {@code {n,0,0,...}}: the 16-byte id format of a StaticMember. */
    private static String uniqueId(int n) {
        StringBuilder sb = new StringBuilder("{").append(n);
        for (int i = 1; i < 16; i++) {
            sb.append(",0");
        }
        return sb.append('}').toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Messages and bytes the two members sent each other. */
    private record TribesProbe(List<CountingInterceptor> interceptors) implements StoreProbe {
        @Override
        public StoreCounters counters() {
            long bytes = 0;
            long messages = 0;
            for (CountingInterceptor c : interceptors) {
                bytes += c.bytes();
                messages += c.messages();
            }
            return new StoreCounters(bytes, messages, -1, messages);
        }

        @Override
        public String describe() {
            return "Tribes messages between the members";
        }
    }
}
