package io.sessioncluster.tomcat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The nodes of one test, sharing one {@link RedisFixture} (so one fresh key prefix). Register it as an instance
 * field with {@code @RegisterExtension}: after each test it closes what it started, newest first (after the test
 * class's own {@code @AfterEach} methods), then the Redis fixture.
 */
final class Cluster implements AfterEachCallback {

    private final RedisFixture redis = new RedisFixture();
    private final Started started = new Started();

    RedisFixture redis() {
        return redis;
    }

    /** A builder for a Redis-backed node of this test; {@code settings} are name/value pairs. */
    TestNode.Builder builder(String name, String... settings) {
        return TestNode.named(name).settings(redis.settings(settings));
    }

    /** Starts a Redis-backed node of this test; {@code settings} are name/value pairs. */
    TestNode node(String name, String... settings) {
        return start(builder(name, settings));
    }

    /** Starts a node of this test that reaches Redis through {@code proxy}, with a short (1 s) Redis timeout. */
    TestNode nodeVia(TcpProxy proxy, String name, String... settings) {
        String[] all = new String[settings.length + 4];
        all[0] = "redisUri";
        all[1] = proxy.uri();
        all[2] = "redisTimeoutMillis";
        all[3] = "1000";
        System.arraycopy(settings, 0, all, 4, settings.length);
        return node(name, all);
    }

    /** Starts the node and closes it after the test. */
    TestNode start(TestNode.Builder builder) {
        return keep(builder.start());
    }

    /** Closes {@code closeable} after the test (before anything kept earlier). */
    <T extends AutoCloseable> T keep(T closeable) {
        return started.keep(closeable);
    }

    /** Stops a node during the test (it is not closed again afterwards). */
    void stop(TestNode node) {
        node.close();
        started.forget(node);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            started.closeAll();
        } finally {
            redis.close();
        }
    }
}
