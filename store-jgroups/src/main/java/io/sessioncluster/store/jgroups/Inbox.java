package io.sessioncluster.store.jgroups;

import org.jgroups.Address;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hands each message this member receives, and each request it answers for itself (it owns the session, or asks
 * every member), to the part that answers that kind. Before this member has a picture of the cluster (another member
 * joins while it connects) it owns and holds nothing, and answers so.
 */
final class Inbox {

    private final Supplier<Topology> topology;
    private final OwnerSide owner;
    private final OwnerLocks ownerLocks;
    private final ReplicaSide replica;
    private final Evictions evictions;
    private final StateTransfer state;
    private final Membership membership;
    private final ExpiryCandidates expiry;
    private final ClusterClock clock;
    private final PartitionGuard partitions;
    private final PrincipalLookup principals;
    private final SessionWalk walk;
    private final Consumer<Address> memberReady;
    private final int maxMessageBytes;

    /** {@code memberReady}: what follows a member's {@code READY} (it counts as ready, sessions move to it). */
    Inbox(Supplier<Topology> topology, OwnerSide owner, OwnerLocks ownerLocks, ReplicaSide replica, Evictions evictions,
          StateTransfer state, Membership membership, ExpiryCandidates expiry, ClusterClock clock,
          PartitionGuard partitions, PrincipalLookup principals, SessionWalk walk, Consumer<Address> memberReady,
          int maxMessageBytes) {
        this.topology = topology;
        this.owner = owner;
        this.ownerLocks = ownerLocks;
        this.replica = replica;
        this.evictions = evictions;
        this.state = state;
        this.membership = membership;
        this.expiry = expiry;
        this.clock = clock;
        this.partitions = partitions;
        this.principals = principals;
        this.walk = walk;
        this.memberReady = memberReady;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * The answer to {@code body} from {@code src}; null for a message that needs none.
     *
     * @throws Wire.Malformed if the message does not follow the format
     */
    byte[] answer(Address src, byte[] body) {
        Wire.In in = new Wire.In(body, maxMessageBytes);
        if (topology.get() == null) {
            // Still connecting (another member joins at the same time): this node owns and holds nothing yet.
            switch (in.kind) {
                case Kind.STATE -> {
                    return new Wire.Out(Kind.R_STATE).bool(false).bool(false).i32(0).i32(0).bytes();
                }
                case Kind.CANDIDATES, Kind.SESSIONS_OF -> {
                    return new Wire.Out(Kind.R_IDS).i32(0).bytes();
                }
                case Kind.PAGE -> {
                    return new Wire.Out(Kind.R_PAGE).bool(false).i32(0).bytes();
                }
                case Kind.WRITE, Kind.TOUCH, Kind.CHANGE_ID, Kind.INSTALL, Kind.DELETE, Kind.CLAIM, Kind.GET,
                     Kind.VERSION, Kind.LOCK, Kind.RENEW, Kind.UNLOCK -> {
                    return OwnerSide.retry();
                }
                default -> {
                    // replication and eviction need no picture of the cluster
                }
            }
        }
        switch (in.kind) {
            case Kind.WRITE, Kind.TOUCH, Kind.CHANGE_ID, Kind.INSTALL, Kind.DELETE, Kind.CLAIM, Kind.GET, Kind.VERSION -> {
                return owner.handle(src, in);
            }
            case Kind.LOCK, Kind.RENEW, Kind.UNLOCK -> {
                return ownerLocks.handle(src, in);
            }
            case Kind.REPL_DELTA, Kind.REPL_FULL, Kind.REPL_REMOVE, Kind.REPL_TOUCH, Kind.REPL_LOCK -> {
                return replica.answer(in);
            }
            case Kind.EVICT -> {
                evictions.heard(src, in);
                return null;
            }
            case Kind.STATE -> {
                return state.page(src, in, topology.get(), membership.isSelfReady());
            }
            case Kind.READY -> {
                in.end();
                memberReady.accept(src);
                return ack();
            }
            case Kind.CANDIDATES -> {
                return expiry.answer(in);
            }
            case Kind.SESSIONS_OF -> {
                return principals.answer(in);
            }
            case Kind.PAGE -> {
                return walk.answer(in);
            }
            case Kind.TIME -> {
                return clock.answer(in);
            }
            case Kind.MEMBERS -> {
                in.end();
                return partitions.describe();
            }
            case Kind.LEAVING -> {
                in.end();
                partitions.leaving(src);
                return ack();
            }
            default -> throw new Wire.Malformed("unknown message kind " + in.kind);
        }
    }

    static byte[] ack() {
        return new Wire.Out(Kind.R_ACK).bytes();
    }
}
