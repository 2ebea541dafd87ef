package io.sessioncluster.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One Tomcat instance of a real distribution: its own {@code CATALINA_BASE} (ports, {@code jvmRoute}, the
 * {@code <Manager>} in {@code conf/context.xml}, the distribution jar in {@code lib/}, the cart war in
 * {@code webapps/}), run as {@code catalina.sh run} in a child process so that SIGKILL is just that.
 */
final class TomcatNode {

    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final String STARTED = "Server startup in";
    private static final String DEPLOYED = "Deployment of web application archive";
    private static final String CONTEXT_FAILED = "startup failed due to previous errors";

    final String route;
    final int httpPort;
    private final Path home;
    private final Path base;
    private final Path console;
    private final Map<String, String> extraEnvironment = new java.util.LinkedHashMap<>();
    private final List<String> extraJvmOptions = new java.util.ArrayList<>();
    private Process process;

    private TomcatNode(String route, int httpPort, Path home, Path base) {
        this.route = route;
        this.httpPort = httpPort;
        this.home = home;
        this.base = base;
        this.console = base.resolve("logs/console.out");
    }

    /**
     * Lays out a {@code CATALINA_BASE} under {@code base} for {@code home}; starts nothing. Two applications: the cart
     * ({@code war}, its {@code <Manager>} in {@code conf/context.xml}) and the FORM login application
     * ({@code loginWar}, its {@code <Manager>} in {@code conf/Catalina/localhost/login.xml}), users in
     * {@code conf/tomcat-users.xml}.
     */
    static TomcatNode create(Path home, Path base, String route, String managerElement, String loginManagerElement,
                             List<Path> libs, Path war, Path loginWar) {
        int port = FreePorts.next();
        try {
            for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work")) {
                Files.createDirectories(base.resolve(dir));
            }
            for (String file : List.of("web.xml", "logging.properties")) {
                Files.copy(home.resolve("conf").resolve(file), base.resolve("conf").resolve(file));
            }
            Files.writeString(base.resolve("conf/catalina.properties"), skipScanning(home));
            Files.writeString(base.resolve("conf/server.xml"), serverXml(port, route));
            Files.writeString(base.resolve("conf/context.xml"), contextXml(managerElement));
            Files.createDirectories(base.resolve("conf/Catalina/localhost"));
            Files.writeString(base.resolve("conf/Catalina/localhost/login.xml"), contextXml(loginManagerElement));
            Files.writeString(base.resolve("conf/tomcat-users.xml"), LoginWar.TOMCAT_USERS);
            for (Path lib : libs) {
                Files.copy(lib, base.resolve("lib").resolve(lib.getFileName()));
            }
            Files.copy(war, base.resolve("webapps/cart.war"));
            Files.copy(loginWar, base.resolve("webapps/login.war"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TomcatNode(route, port, home, base);
    }

    /** The distribution's catalina.properties, told not to scan our jar and the driver for TLDs (README step). */
    private static String skipScanning(Path home) throws IOException {
        String properties = Files.readString(home.resolve("conf/catalina.properties"), StandardCharsets.ISO_8859_1);
        String key = "tomcat.util.scan.StandardJarScanFilter.jarsToSkip=\\\n";
        if (!properties.contains(key)) {
            throw new IllegalStateException("no jarsToSkip in " + home + "/conf/catalina.properties");
        }
        return properties.replace(key, key + "session-cluster-tomcat*.jar,postgresql*.jar,\\\n");
    }

    /**
     * No shutdown port (the tests stop a node with SIGTERM); one HTTP connector on loopback; a one-second background
     * cycle so that a replaced war is redeployed promptly; the distribution's usual realm ({@code UserDatabaseRealm}
     * over {@code conf/tomcat-users.xml}, inside a {@code LockOutRealm}).
     */
    private static String serverXml(int port, String route) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Server port="-1" shutdown="SHUTDOWN">
                  <GlobalNamingResources>
                    <Resource name="UserDatabase" auth="Container" type="org.apache.catalina.UserDatabase"
                              factory="org.apache.catalina.users.MemoryUserDatabaseFactory"
                              pathname="conf/tomcat-users.xml"/>
                  </GlobalNamingResources>
                  <Service name="Catalina">
                    <Connector port="%d" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000"/>
                    <Engine name="Catalina" defaultHost="localhost" jvmRoute="%s" backgroundProcessorDelay="1">
                      <Realm className="org.apache.catalina.realm.LockOutRealm">
                        <Realm className="org.apache.catalina.realm.UserDatabaseRealm" resourceName="UserDatabase"/>
                      </Realm>
                      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true"/>
                    </Engine>
                  </Service>
                </Server>
                """.formatted(port, route);
    }

    private static String contextXml(String managerElement) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Context>
                  <WatchedResource>WEB-INF/web.xml</WatchedResource>
                  %s
                </Context>
                """.formatted(managerElement);
    }

    /**
     * Deploys one more application, {@code war} as {@code webapps/<name>.war}, with its {@code <Manager>} in
     * {@code conf/Catalina/localhost/<name>.xml}. Before {@link #start}.
     */
    void addApplication(String name, Path war, String managerElement) {
        try {
            Files.writeString(base.resolve("conf/Catalina/localhost/" + name + ".xml"), contextXml(managerElement));
            Files.copy(war, base.resolve("webapps/" + name + ".war"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deploys the distribution's manager application ({@code webapps/manager} of {@code CATALINA_HOME}) at
     * {@code /manager}, as an operator enables it, and adds a user of role {@code manager-jmx} for its JMX proxy
     * servlet to {@code conf/tomcat-users.xml}. Its own {@code <Manager>} keeps its sessions local. Before {@link #start}.
     */
    void addManagerApplication(String user, String password) {
        try {
            Files.writeString(base.resolve("conf/Catalina/localhost/manager.xml"), """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Context docBase="%s" privileged="true" antiResourceLocking="false">
                      <Manager className="org.apache.catalina.session.StandardManager" pathname=""/>
                    </Context>
                    """.formatted(home.resolve("webapps/manager")));
            Path users = base.resolve("conf/tomcat-users.xml");
            Files.writeString(users, Files.readString(users).replace("</tomcat-users>", """
                      <role rolename="manager-jmx"/>
                      <role rolename="manager-script"/>
                      <user username="%s" password="%s" roles="manager-jmx,manager-script"/>
                    </tomcat-users>""".formatted(user, password)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs this node's JVM with its wall clock shifted by {@code millis} (libfaketime, {@code LD_PRELOAD}), from its
     * next start on: what a node whose clock is off looks like. The monotonic clock is left alone (timers keep
     * working, as they do on such a node).
     */
    void shiftClock(Path libfaketime, long millis) {
        extraEnvironment.put("LD_PRELOAD", libfaketime.toString());
        extraEnvironment.put("FAKETIME", (millis >= 0 ? "+" : "") + (millis / 1000) + "s");
        extraEnvironment.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        extraEnvironment.put("FAKETIME_NO_CACHE", "1");
    }

    /**
     * Adds {@code options} to this node's JVM command line (after the suite's own, in {@code CATALINA_OPTS}, as an
     * operator's {@code bin/setenv.sh} does), from its next start on. No option may contain a space.
     */
    void addJvmOptions(String... options) {
        for (String option : options) {
            if (option.isEmpty() || option.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("not one JVM option: [" + option + "]");
            }
            extraJvmOptions.add(option);
        }
    }

    /** Runs this node's JVM with the Java agent {@code jar} and its argument ({@code -javaagent:jar=arguments}). */
    void addJavaAgent(Path jar, String arguments) {
        addJvmOptions("-javaagent:" + jar + (arguments == null || arguments.isEmpty() ? "" : "=" + arguments));
    }

    /** SIGSTOP: the JVM freezes, sockets stay open (a long GC pause, a stalled VM); {@link #resume} with SIGCONT. */
    void pause() {
        signal("STOP");
    }

    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        List<String> command = new java.util.ArrayList<>(List.of("kill", "-" + name, Long.toString(process.pid())));
        process.descendants().forEach(child -> command.add(Long.toString(child.pid()))); // catalina.sh execs java
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + route + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts {@code catalina.sh run} and returns once Tomcat logged its startup. */
    void start() {
        int before = count(STARTED);
        int failedBefore = count(CONTEXT_FAILED);
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        Map<String, String> env = builder.environment();
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CATALINA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k"
                + " -Dsession-cluster.node=" + route
                + extraJvmOptions.stream().map(option -> " " + option).collect(java.util.stream.Collectors.joining()));
        env.remove("CATALINA_PID");
        env.remove("JAVA_OPTS");
        env.putAll(extraEnvironment);
        try {
            process = ChildProcesses.register(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until(route + " to start (see " + console + ")", START_DEADLINE, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(route + " exited with " + process.exitValue() + "; see " + console);
            }
            return count(STARTED) > before;
        });
        if (count(CONTEXT_FAILED) > failedBefore) {
            String log = log();
            throw new AssertionError(route + ": the cart application did not start; the log ends with\n"
                    + log.substring(Math.max(0, log.length() - 6000)));
        }
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() {
        ChildProcesses.kill(process);
    }

    /** SIGTERM: Tomcat stops gracefully (contexts stopped, managers closed). */
    void stop() {
        ChildProcesses.stop(process);
    }

    Path base() {
        return base;
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Replaces the war in {@code webapps/} (atomically) and returns once Tomcat redeployed it. */
    void redeploy(Path war) {
        int before = count(DEPLOYED);
        int failedBefore = count(CONTEXT_FAILED);
        try {
            Path next = base.resolve("webapps/cart.war.next");
            Files.copy(war, next, StandardCopyOption.REPLACE_EXISTING);
            Files.move(next, base.resolve("webapps/cart.war"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until(route + " to redeploy the war", START_DEADLINE, () -> count(DEPLOYED) > before);
        if (count(CONTEXT_FAILED) > failedBefore) {
            throw new AssertionError(route + ": the redeployed application did not start; see " + console);
        }
    }

    /**
     * The size of each JGroups cluster's view on this node, by cluster name, as its log tells: the view it joined
     * ({@code joined JGroups cluster [..] as .. with N members}) or a later merge ({@code merged partitions of JGroups
     * cluster [..]: now N members}), whichever came last.
     */
    java.util.Map<String, Integer> jgroupsViewSizes() {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(
                "(?:joined JGroups cluster \\[([^\\]]*)\\] as \\S+ with|merged partitions of JGroups cluster \\[([^\\]]*)\\]: now) (\\d+) members")
                .matcher(log());
        java.util.Map<String, Integer> sizes = new java.util.TreeMap<>();
        while (matcher.find()) {
            String cluster = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            sizes.put(cluster, Integer.parseInt(matcher.group(3)));
        }
        return sizes;
    }

    /** Tomcat's console output so far (the session-cluster warnings land here too). */
    String log() {
        try {
            return Files.exists(console) ? new String(Files.readAllBytes(console), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int count(String marker) {
        String log = log();
        int count = 0;
        for (int at = log.indexOf(marker); at >= 0; at = log.indexOf(marker, at + 1)) {
            count++;
        }
        return count;
    }

    @Override
    public String toString() {
        return route + "@" + httpPort;
    }
}
