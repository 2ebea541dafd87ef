package io.sessioncluster.benchmarks.http;

import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.ChannelInterceptorBase;
import org.apache.catalina.tribes.group.InterceptorPayload;
import org.apache.catalina.tribes.io.ChannelData;

import java.util.concurrent.atomic.LongAdder;

/**
 * The last interceptor of a Tribes channel, just above the transport: counts the messages a member sends and
 * their framed size ({@link ChannelData#getDataPackageLength()}, what goes into the socket) once per destination.
 * Tribes' own {@code ThroughputInterceptor} adds to a plain {@code double} from several threads, so it can drop
 * counts; this one cannot.
 */
final class CountingInterceptor extends ChannelInterceptorBase {

    private final LongAdder bytes = new LongAdder();
    private final LongAdder messages = new LongAdder();

    @Override
    public void sendMessage(Member[] destination, ChannelMessage msg, InterceptorPayload payload)
            throws ChannelException {
        int size = msg instanceof ChannelData data ? data.getDataPackageLength() : msg.getMessage().getLength();
        int copies = destination == null ? 0 : destination.length;
        bytes.add((long) size * copies);
        messages.add(copies);
        super.sendMessage(destination, msg, payload);
    }

    long bytes() {
        return bytes.sum();
    }

    long messages() {
        return messages.sum();
    }
}
