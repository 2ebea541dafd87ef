package io.sessioncluster.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drop-in jar holds our classes, the relocated libraries and JGroups (which cannot be relocated), and nothing
 * that would clash with what Tomcat or a web application brings: no Tomcat, no JDBC driver, no unrelocated Kryo,
 * Netty, Lettuce, Reactor, HikariCP, SLF4J or HdrHistogram, no native libraries.
 */
final class DistributionJarIT {

    private static final Path JAR = Path.of(System.getProperty("e2e.dir"), "session-cluster-tomcat.jar");

    @Test
    void holdsOnlyOurPackagesTheRelocatedOnesAndJGroups() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names).filteredOn(name -> !name.startsWith("io/sessioncluster/")
                            && !name.startsWith("META-INF/") && !name.startsWith("org/jgroups/")
                            && !name.equals("org/") && !name.equals("io/"))
                    .as("top-level entries besides io/sessioncluster, META-INF and JGroups")
                    .allSatisfy(name -> assertThat(name).matches("[^/]+\\.(xml|xsd|properties|btm)|LICENSE"));
            assertThat(names).filteredOn(name -> name.matches("io/sessioncluster/shaded/[^/]+/.*"))
                    .extracting(name -> name.split("/")[3]).containsAll(List.of("esotericsoftware", "objenesis",
                            "hashing", "lettuce", "netty", "reactor", "reactivestreams", "hikari", "slf4j", "hdrhistogram"));
            assertThat(names).noneMatch(name -> name.startsWith("META-INF/native/")
                    || name.startsWith("META-INF/versions/") || name.endsWith(".so") || name.endsWith(".jnilib"));
            assertThat(names).contains("io/sessioncluster/tomcat/ClusteredSessionManager.class",
                    "org/jgroups/JChannel.class", "jg-magic-map.xml");
        }
    }

    @Test
    void registersEveryStoreAndTheRelocatedServiceNames() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(read(jar, "META-INF/services/io.sessioncluster.core.store.SessionStoreProvider"))
                    .contains("io.sessioncluster.store.redis.RedisSessionStoreProvider",
                            "io.sessioncluster.store.jdbc.JdbcSessionStoreProvider",
                            "io.sessioncluster.store.jgroups.JGroupsSessionStoreProvider");
            assertThat(read(jar, "META-INF/services/io.sessioncluster.shaded.slf4j.spi.SLF4JServiceProvider"))
                    .contains("io.sessioncluster.shaded.slf4j.jul.");
            assertThat(jar.stream().map(ZipEntry::getName).filter(name -> name.startsWith("META-INF/services/")))
                    .as("service files name only our or relocated types")
                    .allMatch(name -> name.equals("META-INF/services/")
                            || name.startsWith("META-INF/services/io.sessioncluster."));
        }
    }

    private static String read(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
