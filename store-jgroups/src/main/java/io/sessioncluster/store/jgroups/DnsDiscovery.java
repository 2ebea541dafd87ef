package io.sessioncluster.store.jgroups;

import io.sessioncluster.core.config.Settings;
import org.jgroups.protocols.dns.DNS_PING;

/**
 * The discovery of the dns stack: JGroups' DNS_PING asks DNS for the records of {@code query} and sends a discovery
 * request to every address found. With A records it probes each address on the transport's port and the
 * {@code jgroupsPortRange} after it, so every member must listen on a port the others know (jgroupsBindPort);
 * SRV records carry the port themselves. On Kubernetes the query is a headless Service: its A records are the
 * pods, ready or not when the Service publishes not-ready addresses, so that starting pods find each other.
 *
 * @param query      comma-separated DNS names
 * @param recordType A or SRV
 * @param server     empty for the host's resolver, else host or host:port of the DNS server to ask
 */
record DnsDiscovery(String query, DnsRecordType recordType, String server) {

    static DnsDiscovery from(Settings settings) {
        return new DnsDiscovery(settings.get(JGroupsSettings.DNS_QUERY), settings.get(JGroupsSettings.DNS_RECORD_TYPE),
                settings.get(JGroupsSettings.DNS_ADDRESS));
    }

    DNS_PING protocol() {
        DNS_PING ping = new DNS_PING();
        ping.setDNSQuery(query);
        ping.dnsRecordType(recordType.name());
        // DNS_PING asks the named server through JNDI's DNS provider (dns://host:port), else the host's resolver.
        ping.setDNSAddress(server);
        return ping;
    }
}
