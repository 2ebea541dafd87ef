package io.sessioncluster.spring.boot;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The starter on Spring Boot 3.5 and Tomcat 10.1: two instances on random ports share a session through the Redis
 * at {@code SESSION_CLUSTER_REDIS_URI} with real HTTP, the health indicator answers, and a bad property stops the start
 * with a message naming it.
 */
class Boot3StarterIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void twoInstancesShareASessionOnTomcat10() throws Exception {
        assertThat(ServerInfo.getServerNumber()).startsWith("10.1.");
        String redis = System.getenv("SESSION_CLUSTER_REDIS_URI");
        String[] args = {"--session-cluster.store=redis",
                "--session-cluster.settings.redis-uri=" + (redis == null || redis.isBlank() ? "redis://127.0.0.1:6379" : redis),
                "--session-cluster.settings.key-prefix=boot3-it-" + UUID.randomUUID().toString().substring(0, 8) + ":",
                "--session-cluster.settings.sticky=false"};
        try (ConfigurableApplicationContext a = Boot3App.start(args); ConfigurableApplicationContext b = Boot3App.start(args)) {
            HttpResponse<String> first = get(a, "/add?item=apple", null);
            assertThat(first.body()).isEqualTo("apple");
            String cookie = first.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];

            assertThat(get(b, "/add?item=pear", cookie).body()).isEqualTo("apple,pear");
            assertThat(get(a, "/add?item=plum", cookie).body()).isEqualTo("apple,pear,plum");

            HttpResponse<String> health = get(b, "/actuator/health/sessionCluster", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"store\":\"redis\"");
        }
    }

    @Test
    void aBadPropertyStopsTheStartNamingIt() {
        assertThatThrownBy(() -> Boot3App.start("--session-cluster.store=redis",
                "--session-cluster.settings.write-mode=often"))
                .rootCause()
                .isInstanceOf(SessionClusterConfigurationException.class)
                .hasMessageContaining("writeMode [often]: allowed are sync, async (session-cluster.settings.write-mode)");
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext app, String path, String cookie)
            throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
