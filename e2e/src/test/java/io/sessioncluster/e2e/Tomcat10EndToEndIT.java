package io.sessioncluster.e2e;

import java.nio.file.Path;

/** The end-to-end scenarios on the Tomcat 10.1 distribution. */
final class Tomcat10EndToEndIT extends EndToEndScenarios {

    @Override
    Path tomcatHome() {
        return Path.of(System.getProperty("e2e.tomcat10"));
    }

    @Override
    String line() {
        return "tomcat10";
    }
}
