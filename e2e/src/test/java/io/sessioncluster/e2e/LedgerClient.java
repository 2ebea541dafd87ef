package io.sessioncluster.e2e;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of the fault suite: appends values to its session's ledger through the balancer as fast as it gets
 * answers, and records every append that was acknowledged (200 "ok"). Every attempt carries a new value, so a request
 * whose answer was lost (the node died after the write) can show up in the ledger unacknowledged, never twice.
 * Appends are POSTs, which no layer between the client and Tomcat repeats.
 * Answers other than 200 are counted, as is the longest time it went without an acknowledged append while trying.
 */
final class LedgerClient implements Runnable {

    final String name;
    private final Browser browser;
    private final int port;
    private final long pauseMillis;
    private final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong connectionErrors = new AtomicLong();
    private final AtomicLong sessionsLost = new AtomicLong();
    private final AtomicLong longestOutageNanos = new AtomicLong();
    /** Every attempt: value, answer, when it was sent and answered (ms since the epoch), for a failure's message. */
    private final List<String> attempts = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;

    LedgerClient(String name, String sessionId, int port, long pauseMillis) {
        this.name = name;
        this.browser = new Browser(port);
        this.browser.cookie(sessionId);
        this.port = port;
        this.pauseMillis = pauseMillis;
    }

    @Override
    public void run() {
        long lastAcknowledged = System.nanoTime();
        for (int i = 0; !stopped; i++) {
            String value = name + "-" + i;
            int status;
            long sent = System.currentTimeMillis();
            String served = "";
            try {
                // POST: an HTTP client may send a GET again on its own when a kept-alive connection drops, and the
                // second append would show up as a duplicate; it never repeats a POST.
                Browser.Page page = browser.postForm(port, "/" + LedgerWar.APP + "/append.jsp",
                        "v=" + value + "&pause=" + pauseMillis);
                status = page.status() == 200 && page.body().startsWith("ok") ? 200 : page.status();
                served = page.body().startsWith("ok ") ? page.body().substring(3).trim() : "";
            } catch (UncheckedIOException e) {
                status = -1;
            }
            long now = System.nanoTime();
            attempts.add(value + " " + status + " " + served + " " + sent + ".." + System.currentTimeMillis());
            if (status == 200) {
                acknowledged.add(value);
                lastAcknowledged = now;
                continue;
            }
            if (status == 410) {
                sessionsLost.incrementAndGet(); // the session is gone: nothing later can be acknowledged
                return;
            }
            (status < 0 ? connectionErrors : serverErrors).incrementAndGet();
            longestOutageNanos.accumulateAndGet(now - lastAcknowledged, Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The attempts around {@code value}, one per line. */
    String attemptsAround(String value) {
        synchronized (attempts) {
            int at = 0;
            for (int i = 0; i < attempts.size(); i++) {
                if (attempts.get(i).startsWith(value + " ")) {
                    at = i;
                }
            }
            return String.join("\n", attempts.subList(Math.max(0, at - 5), Math.min(attempts.size(), at + 6)));
        }
    }

    /** The last attempts, one per line: what a lost session's client saw before the end. */
    String lastAttempts() {
        synchronized (attempts) {
            return String.join("\n", attempts.subList(Math.max(0, attempts.size() - 10), attempts.size()));
        }
    }

    void stop() {
        stopped = true;
    }

    List<String> acknowledged() {
        synchronized (acknowledged) {
            return List.copyOf(acknowledged);
        }
    }

    long serverErrors() {
        return serverErrors.get();
    }

    long connectionErrors() {
        return connectionErrors.get();
    }

    long sessionsLost() {
        return sessionsLost.get();
    }

    long longestOutageMillis() {
        return longestOutageNanos.get() / 1_000_000;
    }
}
