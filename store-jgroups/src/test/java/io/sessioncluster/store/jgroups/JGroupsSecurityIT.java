package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.Fence;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.ResponseMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.create;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.update;
import static io.sessioncluster.store.jgroups.JGroupsFailoverIT.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Untrusted peers: a member without the cluster's secret can neither join nor read; malformed and oversized
 * messages from a member (lock requests and lock replication, principal names and the index's questions included)
 * are dropped with a log line and change nothing.
 */
@Timeout(120)
class JGroupsSecurityIT {

    private static final String SECRET = "correct horse battery staple";
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private JGroupsSessionStore node(String cluster, String... extra) {
        JGroupsSessionStore node = JGroupsTestNodes.open(cluster, extra);
        closeables.add(node);
        return node;
    }

    @Test
    void memberWithoutTheSecretCanNeitherJoinNorRead() {
        String cluster = JGroupsTestNodes.freshClusterName("secure");
        JGroupsSessionStore a = node(cluster, "jgroupsSecret", SECRET);
        JGroupsSessionStore b = node(cluster, "jgroupsSecret", SECRET);
        assertThat(JGroupsTestNodes.viewSize(a)).isEqualTo(2);
        a.write(create("secret-session", "card", "4111"));
        assertThat(value(b.load("secret-session").orElseThrow(), "card")).isEqualTo("4111");

        JGroupsSessionStore noKey = node(cluster);
        JGroupsSessionStore wrongKey = node(cluster, "jgroupsSecret", "another secret of enough length");

        for (JGroupsSessionStore rogue : List.of(noKey, wrongKey)) {
            assertThat(rogue.channel().getView().getMembers()).doesNotContain(a.channel().address(), b.channel().address());
            assertThat(rogue.load("secret-session")).isEmpty();
            assertThat(rogue.write(update("secret-session", "card", "stolen"))).isEqualTo(WriteResult.missing());
        }
        assertThat(a.channel().getView().getMembers()).containsExactlyInAnyOrder(a.channel().address(), b.channel().address());
        assertThat(value(b.load("secret-session").orElseThrow(), "card")).isEqualTo("4111");
    }

    @Test
    void malformedAndOversizedMessagesAreDroppedWithALogLine() throws Exception {
        String cluster = JGroupsTestNodes.freshClusterName("garbage");
        JGroupsSessionStore a = node(cluster, "jgroupsMaxMessageBytes", "4096");
        a.write(create("kept", "x", "1"));
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(JGroupsSessionStore.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
        closeables.add(() -> logger.removeHandler(capture));

        // A member of the (unencrypted) cluster that speaks the dispatcher's protocol but sends garbage bodies.
        JGroupsStack stack = new JGroupsStack(Optional.empty(), StackType.UDP, InetAddress.getLoopbackAddress(), 0, 20,
                "228.8.8.8", JGroupsTestNodes.MULTICAST_PORT, "", null, null, "", 600, 2000, 1000);
        JChannel rogue = new JChannel(stack.protocols(cluster));
        closeables.add(rogue);
        MessageDispatcher dispatcher = new MessageDispatcher(rogue);
        closeables.add(dispatcher);
        rogue.connect(cluster);
        Address target = a.channel().address();
        List<byte[]> garbage = List.of(
                new byte[] {9, Kind.GET, 1, 'x'},                     // unknown format
                new byte[] {Wire.FORMAT, 99},                          // unknown kind
                new byte[] {Wire.FORMAT, Kind.GET, 40, 'a'},           // id longer than the message
                new byte[] {Wire.FORMAT, Kind.GET, 3, 'a', '*', 'b'},  // id with a forbidden character
                new byte[] {Wire.FORMAT, Kind.DELETE, 4, 'k', 'e', 'p', 't', 0}, // trailing byte
                new byte[] {Wire.FORMAT, Kind.REPL_TOUCH, 0x7f, 0, 0, 0},         // count beyond the message
                new Wire.Out(Kind.WRITE).change(update("kept", "x", "evil")).bytes(), // a write without its fence
                new Wire.Out(Kind.LOCK).id("kept").i64(0).bytes(),                  // a lease of 0 ms
                new Wire.Out(Kind.RENEW).id("kept").i64(1).i64(1000).i8(0).bytes(), // trailing byte
                new Wire.Out(Kind.UNLOCK).id("kept").i64(-3).i64(0).bytes(),        // negative token
                new Wire.Out(Kind.REPL_LOCK).id("kept").i64(0).i64(10).bool(false).i64(0).bytes(), // lease, no token
                new Wire.Out(Kind.TIME).i8(0).bytes(),                              // trailing byte
                new Wire.Out(Kind.MEMBERS).i64(1).bytes(),                          // trailing bytes
                new Wire.Out(Kind.LEAVING).id("kept").bytes(),                      // trailing bytes
                new Wire.Out(Kind.WRITE).change(update("kept", "x", "evil")).fence(Fence.NONE).i8(1)
                        .name("m".repeat(PrincipalChange.MAX_NAME_LENGTH + 1)).bytes(), // a principal name too long
                new Wire.Out(Kind.REPL_FULL).bool(true).record(new SessionRecord("kept", 9, 1, 1, 60, Map.of()))
                        .lock(LockState.NONE).i8(5).bytes(),                        // an unknown principal tag
                new Wire.Out(Kind.SESSIONS_OF).i64(1).i32(0).i64(1).bytes(),        // an empty principal name
                new Wire.Out(Kind.PAGE).i64(1).bool(false).i32(0).bytes(),          // a page of 0 sessions
                oversized());
        for (byte[] body : garbage) {
            Object answer = dispatcher.sendMessage(new BytesMessage(target, body),
                    new RequestOptions(ResponseMode.GET_FIRST, 2000));
            assertThat(answer).isNull();
        }

        assertThat(logged).anyMatch(line -> line.contains("dropped a malformed message"));
        assertThat(a.load("kept")).isPresent();
        assertThat(a.load("kept").orElseThrow().principal()).isNull();
        assertThat(a.write(update("kept", "x", "2"))).isEqualTo(WriteResult.written(2));
        assertThat(a.lock("kept", 1000)).isInstanceOf(io.sessioncluster.core.LockAttempt.Granted.class);
        assertThat(a.storeTimeMillis()).isPositive();
    }

    private static byte[] oversized() {
        byte[] body = new byte[5000];
        body[0] = Wire.FORMAT;
        body[1] = Kind.REPL_FULL;
        return body;
    }
}
