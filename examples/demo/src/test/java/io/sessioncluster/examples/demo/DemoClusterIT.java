package io.sessioncluster.examples.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command, run the way CI can: three real node JVMs, the walkthrough, then exit. */
@Timeout(300)
class DemoClusterIT {

    @TempDir
    Path logs;

    @Test
    void walkthroughPassesOnThreeNodesWithTheDefaultStore() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = DemoCluster.run(new PrintStream(printed, true, StandardCharsets.UTF_8),
                "--walkthrough-only", "--base-port", "0", "--war", "target/cart.war", "--logs", logs.toString());

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).as(output).contains("store=jgroups", "Walkthrough passed.");
        assertThat(exit).as(output).isZero();
    }

    @Test
    void aClusterOfFewerThanThreeNodesIsRefused() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = DemoCluster.run(new PrintStream(printed, true, StandardCharsets.UTF_8), "--nodes", "2");

        assertThat(exit).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--nodes must be at least 3");
    }

    @Test
    void aMissingWebApplicationIsNamed() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = DemoCluster.run(new PrintStream(printed, true, StandardCharsets.UTF_8), "--war", "no/such/cart.war");

        assertThat(exit).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("no web application at no/such/cart.war");
    }

    @Test
    void walkthroughPassesWithTheRedisStore() {
        String redis = System.getenv().getOrDefault("SESSION_CLUSTER_REDIS_URI", "redis://127.0.0.1:6379");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = DemoCluster.run(new PrintStream(printed, true, StandardCharsets.UTF_8),
                "--walkthrough-only", "--base-port", "0", "--war", "target/cart.war", "--logs", logs.toString(),
                "--store", "redis", "--set", "redisUri=" + redis, "--set", "keyPrefix=demo-it-" + ProcessHandle.current().pid() + ":");

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(output).as(output).contains("store=redis", "Walkthrough passed.");
        assertThat(exit).as(output).isZero();
    }
}
