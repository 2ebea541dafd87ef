package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.store.StoreException;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.jgroups.Address;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One question to every member of the current picture, this one included (answered in this JVM), for what only the
 * members together know: the sessions each owns under a name ({@link PrincipalLookup}), a slice of each one's sessions
 * ({@link SessionWalk}). Each member answers for the sessions it owns, so the union is whole only if every member
 * answered for the same view: the question names the asker's view ({@link Topology#viewId}), and a member in another
 * one answers RETRY (views arrive at members one by one; when a member leaves, the one that owns its sessions next may
 * not know it yet while another already does, and neither would answer for them). A member that left before it
 * answered, answered RETRY (another view, a merge's state still arriving) or nothing (closing) makes the whole
 * question go again on the newer picture, until the store's timeout.
 */
final class EveryMember {

    private final Supplier<Topology> topology;
    private final Messaging messaging;
    private final BiFunction<Address, byte[], byte[]> answerLocally;
    private final Runnable checkOpen;
    private final long timeoutMillis;
    private final int maxMessageBytes;

    EveryMember(Supplier<Topology> topology, Messaging messaging, BiFunction<Address, byte[], byte[]> answerLocally,
                Runnable checkOpen, long timeoutMillis, int maxMessageBytes) {
        this.topology = topology;
        this.messaging = messaging;
        this.answerLocally = answerLocally;
        this.checkOpen = checkOpen;
        this.timeoutMillis = timeoutMillis;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Every member's answer to the question {@code request} makes for a view number, of kind {@code kind}, read by
     * {@code read} (which reads it whole).
     *
     * @throws StoreUnavailableException if no view had every member answer within the timeout
     * @throws StoreException            if an answer is malformed
     */
    <T> List<T> ask(LongFunction<byte[]> request, byte kind, Function<Wire.In, T> read, String what) {
        Deadline deadline = new Deadline(timeoutMillis);
        while (true) {
            checkOpen.run();
            Topology t = topology.get();
            byte[] question = request.apply(t.viewId());
            List<Address> others = new ArrayList<>(t.members());
            others.remove(t.self());
            List<T> answers = new ArrayList<>(t.members().size());
            boolean whole = add(answerLocally.apply(t.self(), question), kind, read, what, answers);
            for (byte[] answer : messaging.callAll(others, question, deadline.callMillis(), what).values()) {
                whole &= add(answer, kind, read, what, answers);
            }
            if (whole) {
                return answers;
            }
            if (deadline.passed()) {
                throw new StoreUnavailableException(what + ": not every member answered for one view within "
                        + timeoutMillis + " ms (members coming and going, a merge, or a member of a version without"
                        + " this question)", null);
            }
            Deadline.pause();
        }
    }

    /**
     * Whether a member in the question's view answered this; false for a member that left, is closing, answered RETRY,
     * or does not know the question.
     */
    private <T> boolean add(byte[] answer, byte kind, Function<Wire.In, T> read, String what, List<T> into) {
        if (answer == null) {
            return false;
        }
        try {
            Wire.In in = new Wire.In(answer, maxMessageBytes);
            if (in.kind == Kind.R_RETRY) {
                return false;
            }
            if (in.kind != kind) {
                throw new Wire.Malformed("unexpected answer " + in.kind);
            }
            into.add(read.apply(in));
            return true;
        } catch (Wire.Malformed e) {
            throw new StoreException(what + ": malformed answer: " + e.getMessage());
        }
    }
}
