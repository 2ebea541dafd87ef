package io.sessioncluster.core.config;

import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClusterConfigTest {

    /** A store provider with the settings shapes real stores have: required, ranged, secret. */
    private record FakeProvider(String name, List<Setting<?>> settings) implements SessionStoreProvider {
        @Override
        public SessionStore open(Settings settings, String contextName) {
            throw new UnsupportedOperationException("validation tests never open a store");
        }
    }

    private static final Setting<String> URL = Setting.text("fake.url", null, "where the fake store lives");
    private static final Setting<Integer> POOL = Setting.integer("fake.poolSize", 8, 1, 64, "connections");
    private static final Setting<String> PASSWORD = Setting.<String>of("fake.password", "", "at least 8 characters",
            "password", raw -> {
                if (!raw.isEmpty() && raw.length() < 8) {
                    throw new IllegalArgumentException("too short: " + raw);
                }
                return raw;
            }).secret();
    private static final Setting<String> HOSTS = Setting.text("other.hosts", "localhost", "hosts of the other store");

    private static final Map<String, SessionStoreProvider> PROVIDERS = providers(
            new FakeProvider("fake", List.of(URL, POOL, PASSWORD)), new FakeProvider("other", List.of(HOSTS)));

    private static Map<String, SessionStoreProvider> providers(SessionStoreProvider... providers) {
        Map<String, SessionStoreProvider> byName = new LinkedHashMap<>();
        for (SessionStoreProvider provider : providers) {
            byName.put(provider.name(), provider);
        }
        return byName;
    }

    private static Map<String, String> raw(String... keysAndValues) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            raw.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return raw;
    }

    private static List<String> problems(Map<String, String> raw) {
        return problems(raw, PROVIDERS);
    }

    private static List<String> problems(Map<String, String> raw, Map<String, SessionStoreProvider> providers) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ClusterConfig.parse(raw, providers));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e.problems();
    }

    @Test
    void appliesDefaultsToAMinimalConfiguration() {
        ClusterConfig config = ClusterConfig.parse(raw("store", "fake", "fake.url", "fake://host"), PROVIDERS);

        assertThat(config.store()).isEqualTo("fake");
        assertThat(config.writeMode()).isEqualTo(WriteMode.SYNC);
        assertThat(config.sticky()).isTrue();
        assertThat(config.codec()).isEqualTo(CodecType.KRYO);
        assertThat(config.allowedClasses().userPatterns()).isEmpty();
        assertThat(config.maxAttributeBytes()).isEqualTo(1 << 20);
        assertThat(config.asyncQueueSize()).isEqualTo(10_000);
        assertThat(config.asyncWriters()).isEqualTo(Math.min(4, Runtime.getRuntime().availableProcessors()));
        assertThat(config.storeSettings().get(URL)).isEqualTo("fake://host");
        assertThat(config.storeSettings().get(POOL)).isEqualTo(8);
    }

    @Test
    void parsesEveryCoreSetting() {
        ClusterConfig config = ClusterConfig.parse(raw("store", " fake ", "fake.url", "u", "writeMode", "async",
                "sticky", "true", "codec", "java", "allowedClasses", "com.shop.**, com.auth.User",
                "maxAttributeBytes", "4096", "asyncQueueSize", " 5 ", "asyncWriters", " 7 ", "holdResponse", "false", "fake.poolSize", "64"),
                PROVIDERS);

        assertThat(config.store()).isEqualTo("fake");
        assertThat(config.writeMode()).isEqualTo(WriteMode.ASYNC);
        assertThat(config.sticky()).isTrue();
        assertThat(config.holdResponse()).isFalse();
        assertThat(config.codec()).isEqualTo(CodecType.JAVA);
        assertThat(config.allowedClasses().userPatterns()).containsExactly("com.shop.**", "com.auth.User");
        assertThat(config.maxAttributeBytes()).isEqualTo(4096);
        assertThat(config.asyncQueueSize()).isEqualTo(5);
        assertThat(config.asyncWriters()).isEqualTo(7);
        assertThat(config.storeSettings().get(POOL)).isEqualTo(64);
    }

    @Test
    void aMissingStoreNamesTheStoresFound() {
        assertThat(problems(raw())).containsExactly("store: required; allowed are fake, other");
        assertThat(problems(raw("store", "  "))).containsExactly("store: required; allowed are fake, other");
    }

    @Test
    void aMissingStoreSaysWhenNoStoreModuleIsPresent() {
        assertThat(problems(raw(), Map.of()))
                .containsExactly("store: required; allowed are none (no store module on the class path)");
    }

    @Test
    void anUnknownStoreNamesTheStoresFound() {
        assertThat(problems(raw("store", "mongo"))).containsExactly("store [mongo]: allowed are fake, other");
    }

    @Test
    void aBadEnumValueListsTheConstantsAsWritten() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "writeMode", "SYNC")))
                .containsExactly("writeMode [SYNC]: allowed are sync, async");
        assertThat(problems(raw("store", "fake", "fake.url", "u", "codec", "protobuf")))
                .containsExactly("codec [protobuf]: allowed are kryo, java");
    }

    @Test
    void aBadBooleanListsTrueAndFalse() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "sticky", "yes")))
                .containsExactly("sticky [yes]: allowed are true, false");
    }

    @Test
    void aBadIntegerStatesTheRange() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "maxAttributeBytes", "1MB")))
                .containsExactly("maxAttributeBytes [1MB]: allowed are an integer from 64 to 268435456");
    }

    @Test
    void anOutOfRangeIntegerStatesTheRange() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "maxAttributeBytes", "63")))
                .containsExactly("maxAttributeBytes [63]: allowed are an integer from 64 to 268435456");
        assertThat(problems(raw("store", "fake", "fake.url", "u", "asyncQueueSize", "0")))
                .containsExactly("asyncQueueSize [0]: allowed are an integer from 1 to 1000000");
        assertThat(problems(raw("store", "fake", "fake.url", "u", "fake.poolSize", "65")))
                .containsExactly("fake.poolSize [65]: allowed are an integer from 1 to 64");
    }

    @Test
    void badAsyncWritersStateAutoAndTheRange() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "asyncWriters", "0")))
                .containsExactly("asyncWriters [0]: allowed are auto, or an integer from 1 to 64");
        assertThat(problems(raw("store", "fake", "fake.url", "u", "asyncWriters", "many")))
                .containsExactly("asyncWriters [many]: allowed are auto, or an integer from 1 to 64");
        assertThat(ClusterConfig.parse(raw("store", "fake", "fake.url", "u", "asyncWriters", "auto"), PROVIDERS)
                .asyncWriters()).isBetween(1, 4);
    }

    @Test
    void aMalformedAllowListNamesThePattern() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "allowedClasses", "com.shop.**, com..bad")))
                .containsExactly("allowedClasses [com.shop.**, com..bad]: allowed are comma-separated class names, "
                        + "package.* or package.** ([com..bad] is not a class name, package.* or package.**)");
    }

    @Test
    void aMissingRequiredStoreSettingSaysItIsRequired() {
        assertThat(problems(raw("store", "fake"))).containsExactly("fake.url: required; allowed are any text");
    }

    @Test
    void asyncWritesWithoutStickySessionsAreRefused() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "writeMode", "async", "sticky", "false")))
                .containsExactly("writeMode [async]: needs sticky=true; with sticky=false the next request can reach "
                        + "another node before the change is written: use writeMode=sync");
    }

    @Test
    void lockingFollowsStickyUnlessSet() {
        assertThat(ClusterConfig.parse(raw("store", "fake", "fake.url", "u", "sticky", "false"), PROVIDERS).locking()).isTrue();
        assertThat(ClusterConfig.parse(raw("store", "fake", "fake.url", "u"), PROVIDERS).locking()).isFalse();
        assertThat(ClusterConfig.parse(raw("store", "fake", "fake.url", "u", "locking", "session"), PROVIDERS).locking()).isTrue();
        ClusterConfig unlocked = ClusterConfig.parse(raw("store", "fake", "fake.url", "u", "sticky", "false",
                "locking", "none", "lockLeaseSeconds", "3", "lockWaitMillis", "250"), PROVIDERS);
        assertThat(unlocked.locking()).isFalse();
        assertThat(unlocked.lockLeaseMillis()).isEqualTo(3_000);
        assertThat(unlocked.lockWaitMillis()).isEqualTo(250);
    }

    @Test
    void lockingWithAsyncWritesIsRefused() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "writeMode", "async", "locking", "session")))
                .containsExactly("locking [session]: needs writeMode=sync; with async the lock is released before the "
                        + "change is written, so the next node to take it could read the older state: use locking=none "
                        + "or writeMode=sync");
    }

    @Test
    void badLockSettingsStateWhatIsAllowed() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "locking", "yes", "lockLeaseSeconds", "0",
                "lockWaitMillis", "-1"))).containsExactly(
                "locking [yes]: allowed are auto, none, session",
                "lockLeaseSeconds [0]: allowed are an integer from 1 to 3600",
                "lockWaitMillis [-1]: allowed are an integer from 0 to 600000");
    }

    @Test
    void anUnknownSettingListsTheKnownOnes() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "colour", "red"))).containsExactly(
                "colour: unknown setting; known settings are allowApplicationClasses, allowedClasses, asyncQueueSize, asyncWriters, codec, detectMutations, "
                        + "fake.password, fake.poolSize, fake.url, holdResponse, lockLeaseSeconds, lockWaitMillis, locking, "
                        + "maxAttributeBytes, sticky, store, writeMode");
    }

    @Test
    void aSettingOfAnotherStoreNamesBothStores() {
        assertThat(problems(raw("store", "fake", "fake.url", "u", "other.hosts", "h")))
                .containsExactly("other.hosts: applies to store [other], but store is [fake]");
    }

    @Test
    void masksTheValueOfASecretSetting() {
        List<String> problems = problems(raw("store", "fake", "fake.url", "u", "fake.password", "hunter2"));

        assertThat(problems).containsExactly("fake.password [****]: allowed are at least 8 characters (too short: ****)");
        assertThat(String.join("", problems)).doesNotContain("hunter2");
    }

    @Test
    void collectsEveryProblemInOneException() {
        Map<String, String> raw = raw("store", "fake", "writeMode", "later", "sticky", "maybe", "colour", "red",
                "other.hosts", "h", "fake.poolSize", "x");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ClusterConfig.parse(raw, PROVIDERS));

        assertThat(e.problems()).hasSize(6).anySatisfy(p -> assertThat(p).startsWith("colour: unknown setting"))
                .contains("other.hosts: applies to store [other], but store is [fake]",
                        "writeMode [later]: allowed are sync, async", "sticky [maybe]: allowed are true, false",
                        "fake.url: required; allowed are any text", "fake.poolSize [x]: allowed are an integer from 1 to 64");
        assertThat(e.getMessage()).startsWith("Invalid session-cluster configuration:\n  - ")
                .contains("\n  - writeMode [later]");
        assertThatThrownBy(() -> e.problems().add("more")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void validatesCoreSettingsEvenWhenTheStoreIsUnknown() {
        assertThat(problems(raw("store", "mongo", "sticky", "maybe"))).containsExactly(
                "store [mongo]: allowed are fake, other", "sticky [maybe]: allowed are true, false");
    }
}
