package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.Message;
import org.jgroups.blocks.MessageDispatcher;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.ResponseMode;
import org.jgroups.util.Rsp;
import org.jgroups.util.RspList;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends this store's messages through the dispatcher. Every message is out-of-band: the owner of one session
 * may wait for acknowledgements while handling a request, so requests must not queue behind each other per
 * sender (that would deadlock two owners replicating to each other); order per session comes from the owner's
 * lock instead.
 */
final class Messaging {

    private final MessageDispatcher dispatcher;

    Messaging(MessageDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** One request, one answer; throws the dispatcher's exception (timeout, suspected member). */
    byte[] call(Address dest, byte[] body, long timeoutMillis) throws Exception {
        Message m = new BytesMessage(dest, body).setFlag(Message.Flag.OOB);
        return dispatcher.sendMessage(m, new RequestOptions(ResponseMode.GET_FIRST, timeoutMillis).flags(Message.Flag.OOB));
    }

    /**
     * Sends to every member of {@code dests} and waits for all answers. Members that left meanwhile are
     * skipped (null answer); a member that is still there but did not answer in time fails the call.
     */
    Map<Address, byte[]> callAll(Collection<Address> dests, byte[] body, long timeoutMillis, String what) {
        Map<Address, byte[]> answers = new LinkedHashMap<>();
        if (dests.isEmpty()) {
            return answers;
        }
        RspList<byte[]> rsps;
        Address self = dispatcher.getChannel().address();
        // A multicast is handled by every member, named or not: send to a subset as unicasts (anycast).
        java.util.List<Address> everyoneElse = new java.util.ArrayList<>(dispatcher.getChannel().getView().getMembers());
        everyoneElse.remove(self);
        boolean anycast = !dests.containsAll(everyoneElse);
        try {
            rsps = dispatcher.castMessage(dests, new BytesMessage(null, body).setFlag(Message.Flag.OOB),
                    new RequestOptions(ResponseMode.GET_ALL, timeoutMillis).flags(Message.Flag.OOB).anycasting(anycast)
                            .exclusionList(self));
        } catch (Exception e) {
            throw new StoreUnavailableException(what + ": cannot send to " + dests.size() + " members", e);
        }
        for (Map.Entry<Address, Rsp<byte[]>> e : rsps.entrySet()) {
            Rsp<byte[]> rsp = e.getValue();
            if (rsp.wasSuspected() || rsp.wasUnreachable()) {
                answers.put(e.getKey(), null);
            } else if (!rsp.wasReceived()) {
                throw new StoreUnavailableException(what + ": member " + e.getKey() + " did not acknowledge within "
                        + timeoutMillis + " ms", null);
            } else if (rsp.hasException()) {
                throw new StoreUnavailableException(what + ": member " + e.getKey() + " failed", rsp.getException());
            } else {
                answers.put(e.getKey(), rsp.getValue());
            }
        }
        return answers;
    }

    /** Fire and forget to every member except {@code excluded}. */
    void castAsync(byte[] body, Address... excluded) throws Exception {
        dispatcher.castMessage(null, new BytesMessage(null, body).setFlag(Message.Flag.OOB),
                new RequestOptions(ResponseMode.GET_NONE, 0).flags(Message.Flag.OOB).exclusionList(excluded));
    }
}
