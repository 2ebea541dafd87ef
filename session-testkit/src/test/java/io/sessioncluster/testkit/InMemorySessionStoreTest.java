package io.sessioncluster.testkit;

import io.sessioncluster.core.config.Settings;
import io.sessioncluster.core.store.SessionStore;
import io.sessioncluster.core.store.SessionStoreProvider;
import io.sessioncluster.core.store.SessionStores;
import io.sessioncluster.core.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemorySessionStoreTest extends SessionStoreContract {

    private static final String NAME = "contract-" + InMemorySessionStoreTest.class.getSimpleName();

    @Override
    protected SessionStore openStore() {
        return InMemorySessionStore.open(NAME);
    }

    @Override
    protected void clearBackend() {
        InMemorySessionStore.clear(NAME);
    }

    @Test
    void providerIsFoundByNameAndSharesBackendsByMemoryName() {
        SessionStoreProvider provider = SessionStores.discover(getClass().getClassLoader()).get("memory");
        assertThat(provider).isInstanceOf(InMemorySessionStoreProvider.class);
        Settings one = Settings.parse(provider.settings(), Map.of("memoryName", "provider-test"));
        Settings other = Settings.parse(provider.settings(), Map.of());

        try (SessionStore a = provider.open(one, "/a"); SessionStore b = provider.open(one, "/b");
             SessionStore c = provider.open(other, "/c")) {
            createSessionIn(a, "shared");
            assertThat(b.load("shared")).isPresent();
            assertThat(c.load("shared")).isEmpty();
        } finally {
            InMemorySessionStore.clear("provider-test");
        }
    }

    @Test
    void memoryNameIsValidated() {
        SessionStoreProvider provider = new InMemorySessionStoreProvider();
        assertThatThrownBy(() -> Settings.parse(provider.settings(), Map.of("memoryName", "x".repeat(65))))
                .hasMessageContaining("memoryName [" + "x".repeat(65) + "]: allowed are 1 to 64 characters");
    }

    @Test
    void simulatedOutageFailsEveryOperationUntilLifted() {
        String id = newId();
        createSession(id, Map.of());
        InMemorySessionStore.simulateOutage(NAME, true);
        try {
            assertThatThrownBy(() -> store.load(id)).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.delete(id)).isInstanceOf(StoreUnavailableException.class);
        } finally {
            InMemorySessionStore.simulateOutage(NAME, false);
        }
        assertThat(store.load(id)).isPresent();
    }

    private void createSessionIn(SessionStore target, String id) {
        assertThat(create(id).writeTo(target).status()).isEqualTo(io.sessioncluster.core.WriteResult.Status.WRITTEN);
    }
}
