package io.sessioncluster.store.jgroups;

/** The bundled JGroups stacks. */
enum StackType {
    /** UDP with IP multicast for discovery and group messages. */
    UDP,
    /** TCP with a static list of hosts (TCPPING), for networks without multicast. */
    TCP
}
