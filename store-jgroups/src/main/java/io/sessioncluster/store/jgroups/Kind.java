package io.sessioncluster.store.jgroups;

/**
 * The kinds of message (second byte of every message, see {@link Wire}). Requests a node sends to the owner of
 * a session, replication the owner sends to the holders of copies, membership and eviction traffic, and answers.
 * Append only within one {@link Wire#FORMAT}.
 */
final class Kind {

    // Requests to the primary owner of a session (answered RETRY by a node that is not the owner).
    static final byte WRITE = 1;
    static final byte TOUCH = 2;
    static final byte CHANGE_ID = 3;
    static final byte INSTALL = 4;
    static final byte DELETE = 5;
    static final byte CLAIM = 6;
    static final byte GET = 7;
    static final byte VERSION = 8;
    static final byte LOCK = 9;
    static final byte RENEW = 10;
    static final byte UNLOCK = 11;
    // From the owner to the holders of copies.
    static final byte REPL_DELTA = 20;
    static final byte REPL_FULL = 21;
    static final byte REPL_REMOVE = 22;
    static final byte REPL_TOUCH = 23;
    static final byte REPL_LOCK = 24;
    // Cluster-wide.
    static final byte EVICT = 30;
    static final byte STATE = 31;
    static final byte READY = 32;
    static final byte CANDIDATES = 33;
    /** The cluster's clock: asked of the view's coordinator ({@link ClusterClock}). */
    static final byte TIME = 34;
    /** A joining member asks what each member knows of a partition ({@link PartitionGuard}). */
    static final byte MEMBERS = 35;
    /** A member about to close says goodbye, so the others know it did not vanish into a partition. */
    static final byte LEAVING = 36;
    /** The ids of the sessions a member owns under a principal name ({@link PrincipalLookup}). */
    static final byte SESSIONS_OF = 37;
    /** One slice of a member's owned sessions in id order, for the walk ({@link SessionWalk}). */
    static final byte PAGE = 38;
    // Answers.
    static final byte R_RETRY = 50;
    static final byte R_WRITE = 51;
    static final byte R_BOOL = 52;
    static final byte R_CLAIM = 53;
    static final byte R_RECORD = 54;
    static final byte R_VERSION = 55;
    static final byte R_ACK = 56;
    static final byte R_NEED_FULL = 57;
    static final byte R_STATE = 58;
    static final byte R_IDS = 59;
    static final byte R_LOCK = 60;
    static final byte R_TIME = 61;
    static final byte R_MEMBERS = 62;
    static final byte R_PAGE = 63;

    private Kind() {
    }
}
