package io.sessioncluster.spring.boot;

import org.junit.jupiter.api.Test;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.mock.env.MockEnvironment;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpringRedisUriTest {

    @Test
    void fromPropertiesUrlWins() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.data.redis.url", "redis://u:p@h:1/2")
                .withProperty("spring.data.redis.host", "ignored");
        assertThat(new SpringRedisUri(env).get()).containsExactly(Map.entry("redisUri", "redis://u:p@h:1/2"));
    }

    @Test
    void fromPropertiesHostPortCredentialsAndDatabase() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.data.redis.host", "redis.example")
                .withProperty("spring.data.redis.port", "6380").withProperty("spring.data.redis.username", "app")
                .withProperty("spring.data.redis.password", "p@ss word").withProperty("spring.data.redis.database", "3")
                .withProperty("spring.data.redis.ssl.enabled", "true");
        assertThat(new SpringRedisUri(env).get())
                .containsExactly(Map.entry("redisUri", "rediss://app:p%40ss%20word@redis.example:6380/3"));
    }

    @Test
    void nothingConfiguredMeansNothing() {
        assertThat(new SpringRedisUri(new MockEnvironment()).get()).isEmpty();
    }

    @Test
    void fromConnectionDetailsStandalone() {
        DataRedisConnectionDetails d = new DataRedisConnectionDetails() {
            @Override
            public Standalone getStandalone() {
                return Standalone.of("10.0.0.1", 6379, 1);
            }

            @Override
            public String getPassword() {
                return "secret";
            }
        };
        assertThat(new ConnectionDetailsRedisUri(() -> d).get())
                .containsExactly(Map.entry("redisUri", "redis://secret@10.0.0.1:6379/1"));
    }

    @Test
    void fromConnectionDetailsSentinelAndCluster() {
        DataRedisConnectionDetails sentinel = new DataRedisConnectionDetails() {
            @Override
            public Sentinel getSentinel() {
                return new Sentinel() {
                    public int getDatabase() {
                        return 0;
                    }

                    public String getMaster() {
                        return "mymaster";
                    }

                    public List<Node> getNodes() {
                        return List.of(new Node("s1", 26379), new Node("s2", 26380));
                    }

                    public String getUsername() {
                        return null;
                    }

                    public String getPassword() {
                        return null;
                    }
                };
            }
        };
        assertThat(ConnectionDetailsRedisUri.uri(sentinel)).isEqualTo("redis-sentinel://s1:26379,s2:26380/0#mymaster");
        DataRedisConnectionDetails cluster = new DataRedisConnectionDetails() {
            @Override
            public Cluster getCluster() {
                return () -> List.of(new Node("c1", 7000), new Node("c2", 7001));
            }
        };
        assertThat(new ConnectionDetailsRedisUri(() -> cluster).get())
                .containsEntry("redisUri", "redis://c1:7000,c2:7001").containsEntry("redisCluster", "true");
        assertThat(new ConnectionDetailsRedisUri(() -> null).get()).isEmpty();
    }
}
