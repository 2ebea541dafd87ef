package io.sessioncluster.tomcat;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The build runs the ITs once per supported Tomcat line; this proves which Tomcat a run really used. */
class TomcatLineIT {

    @Test
    void runsOnTheExpectedTomcatLine() {
        String line = System.getProperty("sessioncluster.tomcatLine");
        assertThat(line).as("set by the failsafe execution").isNotNull();
        assertThat(ServerInfo.getServerNumber()).startsWith(line + ".");
    }
}
