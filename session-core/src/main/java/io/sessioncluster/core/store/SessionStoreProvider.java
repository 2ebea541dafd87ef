package io.sessioncluster.core.store;

import io.sessioncluster.core.config.Setting;
import io.sessioncluster.core.config.Settings;

import java.util.List;

/**
 * Service-provider entry point of a store module, listed in
 * {@code META-INF/services/io.sessioncluster.core.store.SessionStoreProvider}. The user picks a provider
 * by {@link #name()} with the {@code store} setting.
 */
public interface SessionStoreProvider {

    /** The value of the {@code store} setting that selects this provider, e.g. {@code redis}. */
    String name();

    /** Every setting this store reads. Settings of other stores are rejected by validation. */
    List<Setting<?>> settings();

    /**
     * Problems of this store's settings taken together, each value being valid alone (e.g. two settings that exclude
     * each other, or neither of two that one is needed of): checked with the rest of the configuration when it is
     * validated, so that the start fails before the store opens. None by default.
     *
     * @param settings this store's settings, every one parsed
     * @return one line per problem, naming the settings, as validation messages are written
     */
    default List<String> problems(Settings settings) {
        return List.of();
    }

    /**
     * Opens the store. Called once the whole configuration validated; {@code settings} holds a parsed value
     * (or the default) for each of {@link #settings()}.
     *
     * @param settings    this store's settings
     * @param contextName names the web application in log lines, e.g. {@code /shop}
     */
    SessionStore open(Settings settings, String contextName);
}
