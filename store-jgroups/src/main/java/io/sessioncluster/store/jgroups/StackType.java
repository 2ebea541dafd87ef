package io.sessioncluster.store.jgroups;

/** The bundled JGroups stacks, named by how a starting node finds the others ({@code jgroupsStack}). */
enum StackType {
    /** UDP with IP multicast for discovery and group messages. */
    UDP,
    /** TCP with a static list of hosts (TCPPING), for networks without multicast. */
    TCP,
    /** TCP; the members are the addresses a DNS name lists (DNS_PING), e.g. a Kubernetes headless Service. */
    DNS,
    /** TCP; every member writes its address into a shared database table (JDBC_PING2). */
    JDBC;

    /** Whether the members connect to each other over TCP, which needs a port known to the others (not UDP). */
    boolean tcp() {
        return this != UDP;
    }
}
