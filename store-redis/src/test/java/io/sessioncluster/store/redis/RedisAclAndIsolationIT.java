package io.sessioncluster.store.redis;

import io.lettuce.core.AclCategory;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandType;
import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.SessionSummary;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static io.sessioncluster.store.redis.RedisTestServer.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Redis 6+ ACL users in the URI, and applications sharing one Redis through different key prefixes. */
@Timeout(60)
class RedisAclAndIsolationIT {

    private final long now = System.currentTimeMillis();

    private ChangeSet create(String id, int maxInactive) {
        return new ChangeSet(id, true, now, now, maxInactive, Map.of("a", bytes(id)), Set.of());
    }

    @Test
    void aclUserLimitedToItsPrefixCanUseTheStore() {
        String prefix = RedisTestServer.randomPrefix("acl");
        String user = "sc-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String password = "pw-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        URI base = URI.create(RedisTestServer.uri());
        String uri = "redis://" + user + ":" + password + "@" + base.getHost() + ":" + base.getPort();
        try (RedisTestServer.Raw raw = RedisTestServer.raw()) {
            RedisCommands<byte[], byte[]> admin = raw.sync();
            // The least a store needs: its own keys, scripts, and the commands it sends. TIME: the store's clock,
            // which the lock and the principal index scripts read too.
            admin.aclSetuser(user, AclSetuserArgs.Builder.on().addPassword(password)
                    .keyPattern(prefix + "*").addCommand(CommandType.HELLO).addCommand(CommandType.TIME)
                    .addCategory(AclCategory.CONNECTION)
                    .addCategory(AclCategory.SCRIPTING).addCategory(AclCategory.KEYSPACE)
                    .addCategory(AclCategory.HASH).addCategory(AclCategory.SORTEDSET));
            try (SessionStore store = RedisTestServer.open(prefix, Map.of("redisUri", uri))) {
                assertThat(store.write(create("ACL1", 1)).status()).isEqualTo(WriteResult.Status.WRITTEN);
                assertThat(store.load("ACL1")).isPresent();
                assertThat(store.changeId("ACL1", "ACL2")).isTrue();
                assertThat(store.claimExpired(now + 2_000, 10)).extracting(SessionRecord::id).containsExactly("ACL2");
                assertThat(store.write(create("ACL3", 600).withPrincipal(PrincipalChange.to("alice"))).status())
                        .isEqualTo(WriteResult.Status.WRITTEN);
                store.touch(List.of(new Touch("ACL3", now + 1_000)));
                assertThat(store.sessionsOf("alice")).containsExactly("ACL3");
                assertThat(store.page(null, 10).sessions()).extracting(SessionSummary::id).containsExactly("ACL3");
                assertThat(store.delete("ACL3")).isTrue();
                assertThat(store.sessionsOf("alice")).isEmpty();
            } finally {
                admin.aclDeluser(user);
                raw.deleteKeys(prefix);
            }
        }
    }

    @Test
    void wrongPasswordIsUnavailableAndNeverShown() {
        URI base = URI.create(RedisTestServer.uri());
        String uri = "redis://no-such-user:wrong-secret@" + base.getHost() + ":" + base.getPort();
        try (SessionStore store = RedisTestServer.open(RedisTestServer.randomPrefix("acl"), Map.of("redisUri", uri))) {
            Throwable thrown = catchThrowable(() -> store.load("X"));
            assertThat(thrown).isInstanceOf(StoreUnavailableException.class);
            Throwable t = thrown;
            while (t != null) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("wrong-secret");
                t = t.getCause();
            }
        }
    }

    @Test
    void storesWithDifferentPrefixesDoNotSeeEachOther() {
        String prefixA = RedisTestServer.randomPrefix("app-a");
        String prefixB = RedisTestServer.randomPrefix("app-b");
        try (RedisTestServer.Raw raw = RedisTestServer.raw();
             SessionStore a = RedisTestServer.open(prefixA, Map.of());
             SessionStore b = RedisTestServer.open(prefixB, Map.of())) {
            try {
                a.write(create("SAME", 1));
                b.write(create("SAME", 1));
                a.write(create("ONLY-A", 1));
                a.write(create("LOGIN-A", 60).withPrincipal(PrincipalChange.to("alice")));

                assertThat(b.load("ONLY-A")).isEmpty();
                assertThat(b.sessionsOf("alice")).isEmpty();
                assertThat(a.sessionsOf("alice")).containsExactly("LOGIN-A");
                assertThat(a.delete("LOGIN-A")).isTrue();
                assertThat(b.delete("ONLY-A")).isFalse();
                assertThat(b.claimExpired(now + 2_000, 100)).extracting(SessionRecord::id).containsExactly("SAME");
                assertThat(a.load("SAME")).isPresent();
                assertThat(a.claimExpired(now + 2_000, 100)).extracting(SessionRecord::id)
                        .containsExactlyInAnyOrder("SAME", "ONLY-A");
            } finally {
                raw.deleteKeys(prefixA);
                raw.deleteKeys(prefixB);
            }
        }
    }
}
