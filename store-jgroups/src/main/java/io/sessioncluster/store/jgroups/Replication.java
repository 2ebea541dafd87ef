package io.sessioncluster.store.jgroups;

/** How many nodes hold each session. */
enum Replication {
    /** Every node holds every session; each change is replicated to all members. */
    ALL,
    /** An owner and {@code backups} other nodes, chosen by rendezvous hashing over the members. */
    PRIMARY_BACKUP
}
