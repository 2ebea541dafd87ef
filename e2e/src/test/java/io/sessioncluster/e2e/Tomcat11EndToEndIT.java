package io.sessioncluster.e2e;

import java.nio.file.Path;

/** The end-to-end scenarios on the Tomcat 11.0 distribution. */
final class Tomcat11EndToEndIT extends EndToEndScenarios {

    @Override
    Path tomcatHome() {
        return Path.of(System.getProperty("e2e.tomcat11"));
    }

    @Override
    String line() {
        return "tomcat11";
    }
}
