package io.sessioncluster.tomcat;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.IntrospectionUtils;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every configuration mistake stops the start of the context with one LifecycleException that names the context
 * and every problem. Also: settings really arrive through Tomcat's own digester from a context.xml, on Tomcat 10.1
 * and 11 alike (this suite runs on both).
 */
class ConfigurationIT {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** Starts a node that is expected to fail; returns the start failure's messages, the cause chain joined. */
    private String failedStart(Map<String, String> settings) {
        try (LogCapture log = new LogCapture("org.apache.catalina.core.StandardContext")) {
            TestNode node = TestNode.named("nodeA").settings(settings).start();
            closeables.add(node);
            assertThat(node.isAvailable()).isFalse();
            assertThat(node.manager().getState()).isEqualTo(LifecycleState.FAILED);
            // The same failure, as an exception: starting the manager again fails again.
            assertThatThrownBy(() -> node.manager().start()).isInstanceOf(LifecycleException.class);
            String logged = String.join("\n", log.texts());
            assertThat(logged).contains("Cannot start session clustering for context [/]");
            return logged;
        }
    }

    @Test
    void unknownSettingBadWriteModeAndUnknownStoreAreAllNamedInOneFailure() {
        String failure = failedStart(Map.of("store", "nosuch", "writeMode", "sometimes", "colour", "blue"));
        assertThat(failure)
                .contains("store [nosuch]: allowed are ")
                .contains("redis", "memory")
                .contains("writeMode [sometimes]: allowed are sync, async")
                .contains("colour: unknown setting");
    }

    @Test
    void settingOfAnotherStoreIsNamedWithEveryOtherProblem() {
        String failure = failedStart(Map.of("store", "redis", "memoryName", "x", "writeMode", "later",
                "sticky", "maybe", "redisUri", "http://secret@example", "processExpiresFrequency", "often"));
        assertThat(failure)
                .contains("memoryName: applies to store [memory], but store is [redis]")
                .contains("writeMode [later]")
                .contains("sticky [maybe]: allowed are true, false")
                .contains("redisUri [****]")
                .contains("processExpiresFrequency [often]: allowed are an integer")
                .doesNotContain("secret@example");
    }

    @Test
    void aListLimitOutOfRangeIsNamed() {
        assertThat(failedStart(Map.of("store", "memory", "memoryName", "config-list", "listLimit", "-1")))
                .contains("listLimit").contains("from 0 to 100000, not -1");
    }

    @Test
    void missingStoreIsNamed() {
        assertThat(failedStart(Map.of("codec", "java"))).contains("store: required; allowed are ");
    }

    @Test
    void setPropertyRoutesTomcatsOwnSettingsToTheirSetters() {
        ClusteredSessionManager manager = new ClusteredSessionManager();
        assertThat(IntrospectionUtils.setProperty(manager, "processExpiresFrequency", "3")).isTrue();
        assertThat(manager.getProcessExpiresFrequency()).isEqualTo(3);
        assertThat(IntrospectionUtils.setProperty(manager, "redisUri", "redis://127.0.0.1:6379")).isTrue();
        assertThat(manager.getProperty("redisUri")).isEqualTo("redis://127.0.0.1:6379");
        // The programmatic way reaches the setters too.
        assertThat(manager.setProperty("maxActiveSessions", "42")).isTrue();
        assertThat(manager.getMaxActiveSessions()).isEqualTo(42);
        assertThat(manager.getProperty("maxActiveSessions")).isNull();
    }

    @Test
    void contextXmlConfiguresTheManagerThroughTomcatsDigester(@TempDir Path dir) throws Exception {
        Context ok = webapp(dir.resolve("ok"), "store=\"memory\" memoryName=\"config-it\" codec=\"java\""
                + " processExpiresFrequency=\"2\" writeMode=\"async\" allowedClasses=\"com.example.**\"");
        assertThat(ok.getState()).isEqualTo(LifecycleState.STARTED);
        ClusteredSessionManager manager = (ClusteredSessionManager) ok.getManager();
        assertThat(manager.getProcessExpiresFrequency()).isEqualTo(2);
        assertThat(manager.getProperty("store")).isEqualTo("memory");
        assertThat(manager.getProperty("writeMode")).isEqualTo("async");
        assertThat(manager.getProperty("allowedClasses")).isEqualTo("com.example.**");
        // The valve precedes the authenticator Tomcat added at start.
        assertThat(ok.getPipeline().getFirst()).isInstanceOf(SessionClusterValve.class);
    }

    @Test
    void badContextXmlStopsTheContextWithEveryProblem(@TempDir Path dir) throws Exception {
        try (LogCapture log = new LogCapture("org.apache.catalina.core.StandardContext")) {
            Context bad = webapp(dir.resolve("bad"), "store=\"memory\" memoryName=\"\" writeMode=\"fast\""
                    + " processExpiresFrequency=\"x\" redisTimeoutMillis=\"5\"");
            assertThat(bad.getState()).isNotEqualTo(LifecycleState.STARTED);
            assertThat(String.join("\n", log.texts()))
                    .contains("memoryName []: allowed are 1 to 64 characters")
                    .contains("writeMode [fast]")
                    .contains("processExpiresFrequency [x]: allowed are an integer")
                    .contains("redisTimeoutMillis: applies to store [redis], but store is [memory]");
        }
    }

    /**
     * Tomcat's own attributes, through the digester: a boolean it would turn into false ("yes"), a number it would
     * ignore (0), a number outside its range and a regular expression it would only log all stop the start, named.
     */
    @Test
    void tomcatsOwnBooleansNumbersAndPatternsAreValidatedLikeTheClustersSettings(@TempDir Path dir) throws Exception {
        try (LogCapture log = new LogCapture("org.apache.catalina.core.StandardContext")) {
            Context bad = webapp(dir.resolve("bad"), "store=\"memory\" memoryName=\"config-it\""
                    + " persistAuthentication=\"yes\" notifyBindingListenerOnUnchangedValue=\"1\""
                    + " processExpiresFrequency=\"0\" maxActiveSessions=\"-7\""
                    + " sessionAttributeNameFilter=\"[unclosed\"");
            assertThat(bad.getState()).isNotEqualTo(LifecycleState.STARTED);
            assertThat(String.join("\n", log.texts()))
                    .contains("persistAuthentication [yes]: allowed are true, false")
                    .contains("notifyBindingListenerOnUnchangedValue [1]: allowed are true, false")
                    .contains("processExpiresFrequency [0]: allowed are 1 or more")
                    .contains("maxActiveSessions [-7]: allowed are -1 (no limit) or more")
                    .contains("sessionAttributeNameFilter [[unclosed]: allowed are a Java regular expression");
        }
    }

    @Test
    void persistAuthenticationIsOnByDefaultAndTakesTheValueWritten(@TempDir Path dir) throws Exception {
        ClusteredSessionManager byDefault = (ClusteredSessionManager) webapp(dir.resolve("default"),
                "store=\"memory\" memoryName=\"config-it\"").getManager();
        ClusteredSessionManager off = (ClusteredSessionManager) webapp(dir.resolve("off"),
                "store=\"memory\" memoryName=\"config-it\" persistAuthentication=\"false\""
                        + " sessionActivityCheck=\"true\"").getManager();

        assertThat(byDefault.getPersistAuthentication()).as("authentication is session state").isTrue();
        assertThat(off.getPersistAuthentication()).isFalse();
        assertThat(off.getSessionActivityCheck()).isTrue();
        assertThat(off.getState()).isEqualTo(LifecycleState.STARTED);
    }

    /** A web application from a directory with META-INF/context.xml, deployed the way Tomcat deploys one. */
    private Context webapp(Path docBase, String managerAttributes) throws Exception {
        Files.createDirectories(docBase.resolve("META-INF"));
        Files.writeString(docBase.resolve("META-INF/context.xml"), "<Context>\n"
                + "  <Manager className=\"io.sessioncluster.tomcat.ClusteredSessionManager\" " + managerAttributes + "/>\n"
                + "</Context>\n");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(docBase.resolveSibling(docBase.getFileName() + "-base").toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", docBase.toString());
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        scanner.setScanManifest(false);
        context.setJarScanner(scanner);
        tomcat.start();
        closeables.add(() -> {
            tomcat.stop();
            tomcat.destroy();
        });
        return context;
    }
}
