package io.sessioncluster.e2e;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every process the suite starts (Tomcats, HAProxy), killed when the test JVM exits however it exits, so a failed
 * or interrupted run never leaves servers behind on the CI host.
 */
final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildProcesses::kill), "e2e-reaper"));
    }

    private ChildProcesses() {
    }

    static Process register(Process process) {
        RUNNING.add(process);
        return process;
    }

    /** SIGKILL to the process and anything it started. */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(process);
        RUNNING.remove(process);
    }

    /** SIGTERM (Tomcat's shutdown hook stops it gracefully); SIGKILL if it is still there after a minute. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
        RUNNING.remove(process);
    }

    private static void awaitExit(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
