package io.sessioncluster.store.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterURIUtil;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parsed {@code redisUri} setting: where Redis is, and the same text with its password masked for log lines
 * and error messages. Parsing happens once, at configuration time, so a bad URI stops the start.
 *
 * @param uris      one URI for standalone and Sentinel; the seed nodes (one or more) for Cluster
 * @param sentinel  true for {@code redis-sentinel://} and {@code rediss-sentinel://}
 * @param masked    the URI as written, with the password replaced by {@code ****}
 */
record RedisEndpoint(List<RedisURI> uris, boolean sentinel, String masked) {

    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

    RedisEndpoint {
        uris = List.copyOf(uris);
    }

    /**
     * Parses a Redis URI as Lettuce understands it. Messages never contain the input: it may hold a password.
     *
     * @throws IllegalArgumentException if the text is not a URI Lettuce can connect to
     */
    static RedisEndpoint parse(String raw) {
        int sep = raw.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("not a URI; it must start with one of " + schemes());
        }
        String scheme = raw.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("scheme must be one of " + schemes());
        }
        boolean sentinel = scheme.endsWith("-sentinel");
        if (sentinel && raw.indexOf('#') < 0) {
            throw new IllegalArgumentException("a Sentinel URI names its master after '#', e.g. redis-sentinel://host:26379/0#mymaster");
        }
        checkHostsAndPorts(authority(raw));
        List<RedisURI> uris;
        try {
            // Several comma-separated hosts are Cluster seed nodes, which only Lettuce's cluster parser splits (it
            // drops the database, which Cluster does not have). Everything else, Sentinel lists included, goes
            // through RedisURI.create, which keeps the database.
            uris = !sentinel && authority(raw).contains(",") ? RedisClusterURIUtil.toRedisURIs(URI.create(raw))
                    : List.of(RedisURI.create(raw));
        } catch (RuntimeException e) {
            // Lettuce's and java.net.URI's messages quote the input, password included: drop them.
            throw new IllegalArgumentException("not a valid Redis URI (check the host, port, database and the"
                    + " percent-encoding of the password)");
        }
        if (uris.isEmpty() || uris.stream().anyMatch(u -> !sentinel && (u.getHost() == null || u.getHost().isEmpty()))) {
            throw new IllegalArgumentException("no host given");
        }
        return new RedisEndpoint(uris, sentinel, mask(raw));
    }

    /** The URI with any password replaced by {@code ****}; the user name, hosts and the rest stay readable. */
    static String mask(String raw) {
        int start = raw.indexOf("://");
        if (start < 0) {
            return "****";
        }
        start += 3;
        int end = authorityEnd(raw, start);
        int at = raw.lastIndexOf('@', end - 1);
        if (at < start) {
            return raw;
        }
        String userInfo = raw.substring(start, at);
        int colon = userInfo.indexOf(':');
        // "redis://secret@host" means a password without a user name in Lettuce, so with no colon mask it all.
        String shown = colon < 0 ? "****" : userInfo.substring(0, colon) + ":****";
        return raw.substring(0, start) + shown + raw.substring(at);
    }

    /** Lettuce takes "h:notaport" for a host name; catch such typos here rather than at the first connect. */
    private static void checkHostsAndPorts(String authority) {
        String hosts = authority.substring(authority.lastIndexOf('@') + 1);
        for (String host : hosts.split(",", -1)) {
            String port = null;
            if (host.startsWith("[")) { // IPv6 literal
                int close = host.indexOf(']');
                if (close < 0 || (close + 1 < host.length() && host.charAt(close + 1) != ':')) {
                    throw new IllegalArgumentException("bad IPv6 host; write it as [::1]:6379");
                }
                port = close + 1 < host.length() ? host.substring(close + 2) : null;
            } else if (host.indexOf(':') >= 0) {
                port = host.substring(host.indexOf(':') + 1);
                host = host.substring(0, host.indexOf(':'));
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("no host given");
            }
            if (port != null && !port.matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("a port is a number from 1 to 65535");
            }
        }
    }

    /** The text between {@code ://} and the first {@code /}, {@code ?} or {@code #}: user info and hosts. */
    private static String authority(String raw) {
        int start = raw.indexOf("://") + 3;
        return raw.substring(start, authorityEnd(raw, start));
    }

    private static int authorityEnd(String raw, int start) {
        int end = raw.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = raw.indexOf(c, start);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return end;
    }

    private static String schemes() {
        return "redis://, rediss:// (TLS), redis-sentinel://, rediss-sentinel://";
    }

    @Override
    public String toString() {
        return masked;
    }
}
