package io.sessioncluster.testkit;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.PrincipalChange;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every part of the {@link SessionStoreContract} shares: the store under test, opened through the
 * subclass's factory, several "nodes" over one backend, and builders for change sets. A subclass implements
 * {@link #openStore()} and {@link #clearBackend()}; everything else is inherited.
 *
 * <p>Times are explicit: each test takes {@link #now} once and passes {@code now + offset} wherever the API
 * accepts a time, so expiry is tested with a one-second timeout and no sleeping.
 */
@Timeout(60) // no contract test may hang, whatever the store does
public abstract class ContractFixture {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    /** The store most tests use; opened before each test. */
    protected SessionStore store;
    /** Wall-clock time taken once per test; expiry tests add offsets to it instead of sleeping. */
    protected long now;

    private final List<SessionStore> opened = new ArrayList<>();

    /**
     * Opens a new store over the backend under test. Called before each test, and again when a test needs
     * another "node": every store returned must share one backend, as Tomcat nodes share one Redis. The suite
     * closes each store it opened after the test.
     */
    protected abstract SessionStore openStore();

    /**
     * Removes every session from the backend under test. Called before each test, before {@link #openStore()},
     * because {@link SessionStore#claimExpired} sees every session and must not find those of earlier tests.
     */
    protected abstract void clearBackend();

    @BeforeEach
    final void setUpStore() {
        clearBackend();
        now = System.currentTimeMillis();
        store = node();
    }

    @AfterEach
    final void closeStores() {
        for (SessionStore s : opened) {
            s.close();
        }
        opened.clear();
    }

    /** Another node over the same backend; closed after the test. */
    protected final SessionStore node() {
        SessionStore s = openStore();
        opened.add(s);
        return s;
    }

    /** A fresh, well-formed id of 32 characters, unique within this JVM. */
    protected static String newId() {
        StringBuilder id = new StringBuilder(32).append(Long.toString(COUNTER.incrementAndGet(), 36)).append('-');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (id.length() < 32) {
            id.append(ID_CHARS[random.nextInt(ID_CHARS.length)]);
        }
        return id.toString();
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every byte value from 0 to 255 once. */
    protected static byte[] allByteValues() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    /** A change set that creates a session accessed at {@link #now}. */
    protected final Change create(String id) {
        return new Change(id, true).at(now);
    }

    /** A change set that updates a session, accessed at {@link #now}. */
    protected final Change update(String id) {
        return new Change(id, false).at(now);
    }

    /** Creates a session with the given attributes, a 30-minute timeout, and checks it got version 1. */
    protected final SessionRecord createSession(String id, Map<String, byte[]> attributes) {
        Change change = create(id);
        attributes.forEach(change::set);
        assertThat(store.write(change.build())).isEqualTo(WriteResult.written(1));
        return new SessionRecord(id, 1, now, now, change.maxInactiveSeconds, attributes);
    }

    /** Builds a {@link ChangeSet}; creation time is {@link #now}, the timeout 30 minutes unless set. */
    protected final class Change {
        private final String id;
        private final boolean created;
        private long accessed;
        private int maxInactiveSeconds = 1800;
        private final Map<String, byte[]> set = new LinkedHashMap<>();
        private final Set<String> removed = new LinkedHashSet<>();
        private PrincipalChange principal = PrincipalChange.UNCHANGED;

        Change(String id, boolean created) {
            this.id = id;
            this.created = created;
        }

        public Change at(long lastAccessedTime) {
            this.accessed = lastAccessedTime;
            return this;
        }

        public Change maxInactive(int seconds) {
            this.maxInactiveSeconds = seconds;
            return this;
        }

        public Change set(String name, byte[] value) {
            set.put(name, value);
            return this;
        }

        public Change set(String name, String value) {
            return set(name, bytes(value));
        }

        public Change remove(String name) {
            removed.add(name);
            return this;
        }

        /** Indexes the session under this principal name (a login). */
        public Change principal(String name) {
            this.principal = PrincipalChange.to(name);
            return this;
        }

        /** Takes the session out of the principal index (a log-out). */
        public Change clearPrincipal() {
            this.principal = PrincipalChange.CLEARED;
            return this;
        }

        public ChangeSet build() {
            return new ChangeSet(id, created, now, accessed, maxInactiveSeconds, set, removed, principal);
        }

        /** Builds and writes through {@link #store}. */
        public WriteResult writeTo(SessionStore target) {
            return target.write(build());
        }
    }
}
