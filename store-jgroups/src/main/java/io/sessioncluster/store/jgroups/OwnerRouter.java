package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.SessionIds;
import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;
import org.jgroups.SuspectedException;
import org.jgroups.UnreachableException;

import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Sends an owner request to the session's primary (this node included) and returns the answer, looking again
 * while the owner answers RETRY or leaves, until the timeout. A request that reached an owner which then failed is
 * not repeated (it may have been applied): it fails as unavailable.
 */
final class OwnerRouter {

    /** How long to wait before looking for the owner again. */

    private final Supplier<Topology> topology;
    private final Messaging messaging;
    /** Answers a request this node owns, as if it came from {@code src}. */
    private final BiFunction<Address, byte[], byte[]> answerLocally;
    private final Runnable checkOpen;
    private final long timeoutMillis;
    private final int maxMessageBytes;
    private final String clusterName;

    OwnerRouter(Supplier<Topology> topology, Messaging messaging, BiFunction<Address, byte[], byte[]> answerLocally,
                Runnable checkOpen, long timeoutMillis, int maxMessageBytes, String clusterName) {
        this.topology = topology;
        this.messaging = messaging;
        this.answerLocally = answerLocally;
        this.checkOpen = checkOpen;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
        this.clusterName = clusterName;
    }

    /** The owner's answer to {@code request} about session {@code id}, which must be of {@code kind}. */
    Wire.In call(String id, byte[] request, byte kind) {
        Wire.In in = route(id, request);
        if (in.kind != kind) {
            throw new StoreException("unexpected answer " + in.kind + " about session " + SessionIds.redact(id));
        }
        return in;
    }

    /** The owner's answer to {@code request} about session {@code id}, of whatever kind but RETRY. */
    Wire.In route(String id, byte[] request) {
        Deadline deadline = new Deadline(timeoutMillis);
        Exception last = null;
        while (true) {
            checkOpen.run();
            Topology t = topology.get();
            Address primary = t.primary(id);
            if (primary != null) {
                byte[] answer;
                try {
                    answer = primary.equals(t.self()) ? answerLocally.apply(t.self(), request)
                            : messaging.call(primary, request, deadline.callMillis());
                } catch (SuspectedException | UnreachableException e) {
                    answer = null;
                    last = e;
                } catch (StoreException e) {
                    throw e;
                } catch (Exception e) {
                    throw new StoreUnavailableException("owner of session " + SessionIds.redact(id) + " did not answer"
                            + " within " + timeoutMillis + " ms: " + e, e);
                }
                if (answer != null) {
                    Wire.In in = new Wire.In(answer, maxMessageBytes);
                    if (in.kind != Kind.R_RETRY) {
                        return in;
                    }
                }
            }
            if (deadline.passed()) {
                throw new StoreUnavailableException("no owner of session " + SessionIds.redact(id)
                        + " answered within " + timeoutMillis + " ms (cluster " + clusterName + ")", last);
            }
            Deadline.pause();
        }
    }
}
