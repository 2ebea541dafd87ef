package io.sessioncluster.tomcat;

import io.sessioncluster.core.ChangeSet;
import io.sessioncluster.core.ExpiryClaim;
import io.sessioncluster.core.Fence;
import io.sessioncluster.core.LockAttempt;
import io.sessioncluster.core.SessionPage;
import io.sessioncluster.core.SessionRecord;
import io.sessioncluster.core.Touch;
import io.sessioncluster.core.WriteResult;
import io.sessioncluster.core.store.SessionStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What measuring every store call costs ({@link MeasuredStore}: a count, a latency recorded into the operation's
 * HdrHistogram window, the store's availability), side by side in one run with the same call unmeasured, on a store
 * that answers at once, so the difference is the whole overhead. Two threads, as the 2-core benchmark machine runs
 * requests: the counters and the histogram's recorder are shared. In package {@code io.sessioncluster.tomcat}
 * because the measuring store is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(2)
public class MeasuredStoreBenchmark {

    private static final String ID = "abcdefghijklmnopqrstuvwxyz012345";
    private static final SessionRecord RECORD = new SessionRecord(ID, 3, 1, 2, 1800, Map.of("cart", new byte[200]));

    private final SessionStore raw = new AnsweringStore();
    private final SessionStore measured = new MeasuredStore(raw, new StoreMeters());

    @Benchmark
    public OptionalLong versionRaw() {
        return raw.version(ID);
    }

    @Benchmark
    public OptionalLong versionMeasured() {
        return measured.version(ID);
    }

    @Benchmark
    public Optional<SessionRecord> loadRaw() {
        return raw.load(ID);
    }

    @Benchmark
    public Optional<SessionRecord> loadMeasured() {
        return measured.load(ID);
    }

    /** Answers every call at once with a constant: the store's own cost is nothing. */
    static final class AnsweringStore implements SessionStore {
        private static final Optional<SessionRecord> FOUND = Optional.of(RECORD);
        private static final OptionalLong VERSION = OptionalLong.of(3);

        @Override
        public Optional<SessionRecord> load(String id) {
            return FOUND;
        }

        @Override
        public OptionalLong version(String id) {
            return VERSION;
        }

        @Override
        public WriteResult write(ChangeSet changes, Fence fence) {
            return WriteResult.written(4);
        }

        @Override
        public LockAttempt lock(String id, long leaseMillis) {
            return new LockAttempt.Granted(1, 3);
        }

        @Override
        public boolean renewLock(String id, long token, long leaseMillis) {
            return true;
        }

        @Override
        public void unlock(String id, long token, Touch touch) {
        }

        @Override
        public void touch(Collection<Touch> touches) {
        }

        @Override
        public boolean changeId(String oldId, String newId) {
            return true;
        }

        @Override
        public boolean delete(String id) {
            return true;
        }

        @Override
        public Set<String> sessionsOf(String principal) {
            return Set.of();
        }

        @Override
        public SessionPage page(String cursor, int limit) {
            return new SessionPage(List.of(), null);
        }

        @Override
        public ExpiryClaim claimIfExpired(String id, long nowMillis) {
            return ExpiryClaim.GONE;
        }

        @Override
        public List<SessionRecord> claimExpired(long nowMillis, int limit) {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
