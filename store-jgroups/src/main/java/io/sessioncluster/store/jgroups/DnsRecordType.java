package io.sessioncluster.store.jgroups;

/** The DNS records that list the members for the dns stack ({@code jgroupsDnsRecordType}). */
enum DnsRecordType {
    /** Address records: every member listens on jgroupsBindPort (to jgroupsBindPort + jgroupsPortRange). */
    A,
    /** Service records: each names a member's host and port, so members may listen on different ports. */
    SRV
}
