package io.sessioncluster.benchmarks.http;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Reads CPU time, cumulative, in nanoseconds: this JVM's process (user + system, all threads), a set of this
 * JVM's threads (the load generator's users), and other processes from {@code /proc/<pid>/stat} (the store: the
 * benchmark's own redis-server and every {@code postgres} process of the machine). One reading is a
 * {@link Sample}; two readings make a window.
 */
final class CpuClock {

    /** Linux's USER_HZ, the unit of utime and stime in /proc/pid/stat; 100 on every mainstream build. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * CPU time read at one instant.
     *
     * @param jvm       this process, every thread (load generator included)
     * @param generator the load generator's own threads
     * @param store     redis-server and PostgreSQL processes; -1 if /proc is not readable
     */
    record Sample(long jvm, long generator, long store) {

        Sample minus(Sample earlier) {
            return new Sample(jvm - earlier.jvm, generator - earlier.generator,
                    store < 0 || earlier.store < 0 ? -1 : store - earlier.store);
        }
    }

    private final long redisPid;

    /** @param redisPid the benchmark's redis-server, or -1 */
    CpuClock(long redisPid) {
        this.redisPid = redisPid;
    }

    Sample read(Collection<Thread> generatorThreads) {
        return new Sample(jvmNanos(), threadsNanos(generatorThreads), storeNanos());
    }

    static long jvmNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report its process CPU time");
    }

    /** A thread that ended counts nothing; read while they run. */
    static long threadsNanos(Collection<Thread> threads) {
        long sum = 0;
        for (Thread t : threads) {
            long cpu = THREADS.getThreadCpuTime(t.getId());
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }

    private long storeNanos() {
        try {
            long ticks = redisPid > 0 ? ticks(Path.of("/proc", Long.toString(redisPid))) : 0;
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    if (isPostgres(proc)) {
                        ticks += ticks(proc);
                    }
                }
            }
            return ticks * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isPostgres(Path proc) {
        try {
            return "postgres".equals(Files.readString(proc.resolve("comm")).strip());
        } catch (IOException e) {
            return false; // ended meanwhile
        }
    }

    /** {user, system} CPU nanoseconds of this process so far (/proc/self/stat), or {-1, -1}. */
    static long[] selfUserSystem() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) * NANOS_PER_TICK, Long.parseLong(f[12]) * NANOS_PER_TICK};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** utime + stime of one process; 0 if it ended meanwhile. */
    static long ticks(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // Fields after the command name (which may hold spaces), from field 3 on: utime and stime are 14, 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0;
        }
    }
}
