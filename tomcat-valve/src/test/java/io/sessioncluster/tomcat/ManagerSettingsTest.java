package io.sessioncluster.tomcat;

import io.sessioncluster.core.config.ClusterConfig;
import io.sessioncluster.core.config.WriteMode;
import io.sessioncluster.core.store.SessionStores;

import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagerSettingsTest {

    private final ClusteredSessionManager manager = new ClusteredSessionManager();

    @Test
    void clusterSettingsAreKeptRawAndValidatedTogether() throws LifecycleException {
        manager.setProperty("store", "memory");
        manager.setProperty("memoryName", "unit");
        manager.setProperty("writeMode", "async");
        manager.setProperty("codec", "java");
        ManagerSettings settings = settingsOf(manager);
        ClusterConfig config = settings.validate("/shop", SessionStores.discover(getClass().getClassLoader()));
        assertThat(config.store()).isEqualTo("memory");
        assertThat(config.writeMode()).isEqualTo(WriteMode.ASYNC);
        assertThat(settings.raw()).containsEntry("memoryName", "unit");
    }

    @Test
    void managerBaseSettingsGoToTheirSettersAndBadValuesAreReportedAtValidation() {
        manager.setProperty("processExpiresFrequency", "4");
        manager.setProperty("sessionActivityCheck", "true");
        assertThat(manager.getProcessExpiresFrequency()).isEqualTo(4);
        assertThat(manager.getSessionActivityCheck()).isTrue();

        manager.setProperty("maxActiveSessions", "lots");
        manager.setProperty("persistAuthentication", "yes");
        manager.setProperty("sessionAttributeNameFilter", "([");
        assertThatThrownBy(() -> settingsOf(manager).validate("/shop", SessionStores.discover(getClass().getClassLoader())))
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("context [/shop]")
                .hasMessageContaining("store: required")
                .hasMessageContaining("maxActiveSessions [lots]: allowed are an integer")
                .hasMessageContaining("persistAuthentication [yes]: allowed are true, false")
                .hasMessageContaining("sessionAttributeNameFilter [([]");
    }

    @Test
    void asyncWritersIsValidatedWithTheOthersAndReachesTheConfiguration() throws LifecycleException {
        manager.setProperty("store", "memory");
        manager.setProperty("writeMode", "async");
        manager.setProperty("asyncWriters", "65");
        assertThatThrownBy(() -> settingsOf(manager).validate("/shop", SessionStores.discover(getClass().getClassLoader())))
                .isInstanceOf(LifecycleException.class)
                .hasMessageContaining("context [/shop]")
                .hasMessageContaining("asyncWriters [65]: allowed are auto, or an integer from 1 to 64");

        manager.setProperty("asyncWriters", "3");
        assertThat(settingsOf(manager).validate("/shop", SessionStores.discover(getClass().getClassLoader()))
                .asyncWriters()).isEqualTo(3);
    }

    @Test
    void aLaterGoodValueClearsAnEarlierBadOne() throws LifecycleException {
        manager.setProperty("processExpiresFrequency", "x");
        manager.setProperty("processExpiresFrequency", "2");
        manager.setProperty("store", "memory");
        settingsOf(manager).validate("/", SessionStores.discover(getClass().getClassLoader()));
        assertThat(manager.getProcessExpiresFrequency()).isEqualTo(2);
    }

    private static ManagerSettings settingsOf(ClusteredSessionManager manager) {
        try {
            var field = ClusteredSessionManager.class.getDeclaredField("settings");
            field.setAccessible(true);
            return (ManagerSettings) field.get(manager);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
