package io.sessioncluster.store.jgroups;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

/**
 * A real DNS server for tests: dnsmasq in the foreground on a free port of 127.0.0.1, answering only for the names
 * of its hosts file (no upstream servers, not the host's /etc/hosts), with a TTL of 0 so nothing caches an
 * answer. The binary is {@code DNSMASQ_BIN}, else {@code dnsmasq} on the PATH, else {@code /usr/sbin/dnsmasq};
 * {@code .ci/prerequisites} installs it, and a missing binary fails the test naming how to get it.
 */
final class Dnsmasq implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a server whose A records of {@code name} are {@code addresses}; returns once it answers. */
    static Dnsmasq start(Path dir, String name, List<String> addresses) throws Exception {
        Path hosts = dir.resolve("members.hosts");
        StringBuilder lines = new StringBuilder();
        addresses.forEach(a -> lines.append(a).append(' ').append(name).append('\n'));
        Files.writeString(hosts, lines);
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) { // a free port may be taken before dnsmasq binds it
            int port = freeUdpPort();
            Path log = dir.resolve("dnsmasq-" + port + ".log");
            List<String> command = new ArrayList<>(List.of(binary(), "--keep-in-foreground", "--port=" + port,
                    "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--addn-hosts=" + hosts, "--local-ttl=0", "--pid-file=", "--log-facility=-"));
            if ("root".equals(System.getProperty("user.name"))) {
                command.add("--user=root"); // else it drops to user dnsmasq, which cannot read the test's directory
            }
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new AssertionError("cannot run dnsmasq [" + binary() + "]: install it (Debian: apt-get install"
                        + " dnsmasq; mvn -B verify as root does it) or point DNSMASQ_BIN at it", e);
            }
            Dnsmasq server = new Dnsmasq(process, port, log);
            if (server.awaitAnswer(name, addresses.size(), Duration.ofSeconds(10))) {
                return server;
            }
            server.close();
            last = new IOException("dnsmasq did not answer on port " + port + ": " + Files.readString(log));
        }
        throw last;
    }

    /** What {@code jgroupsDnsAddress} names to ask this server. */
    String address() {
        return "127.0.0.1:" + port;
    }

    /** The A records of {@code name} as this server answers them, asked as DNS_PING asks (JNDI's DNS provider). */
    List<String> addresses(String name) throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://" + address());
        env.put("com.sun.jndi.dns.timeout.initial", "200");
        env.put("com.sun.jndi.dns.timeout.retries", "1");
        InitialDirContext context = new InitialDirContext(env);
        try {
            Attribute records = context.getAttributes(name, new String[] {"A"}).get("A");
            List<String> found = new ArrayList<>();
            for (int i = 0; records != null && i < records.size(); i++) {
                found.add(records.get(i).toString());
            }
            return found;
        } finally {
            context.close();
        }
    }

    private boolean awaitAnswer(String name, int records, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (addresses(name).size() == records) {
                    return true;
                }
            } catch (NamingException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static String binary() {
        String configured = System.getenv("DNSMASQ_BIN");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "dnsmasq"))) {
                return Path.of(dir, "dnsmasq").toString();
            }
        }
        return "/usr/sbin/dnsmasq"; // Debian's, not on a normal user's PATH
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "dnsmasq on " + address() + " (log " + log + ")";
    }
}
