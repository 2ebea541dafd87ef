package io.sessioncluster.benchmarks.http;

/** One running web server of a configuration: an embedded Tomcat of ours, or a Spring Boot application. */
interface Node extends AutoCloseable {

    int port();

    @Override
    void close();
}
