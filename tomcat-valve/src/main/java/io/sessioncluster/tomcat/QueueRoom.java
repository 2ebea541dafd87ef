package io.sessioncluster.tomcat;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bound {@code asyncQueueSize} shared by all write-behind shards: how many sessions may wait in their queues
 * together, so that the setting means what it says however many writers there are. A session already queued
 * takes no more room (its changes merge). Writes taken back after an outage are readmitted without waiting
 * ({@link #force}), as they were admitted once.
 */
final class QueueRoom {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int used;
    private boolean closed;

    QueueRoom(int capacity) {
        this.capacity = capacity;
    }

    /** Takes a place if one is free, without waiting. */
    boolean tryTake() {
        lock.lock();
        try {
            if (used < capacity) {
                used++;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Takes places whatever the bound: writes put back at the head of a queue after a failed attempt. */
    void force(int places) {
        lock.lock();
        try {
            used += places;
        } finally {
            lock.unlock();
        }
    }

    void release(int places) {
        if (places == 0) {
            return;
        }
        lock.lock();
        try {
            used -= places;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a place may be free, the deadline passes or the writer closes.
     *
     * @return false once the deadline ({@link System#nanoTime()}) has passed
     */
    boolean awaitFree(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            long nanos = deadlineNanos - System.nanoTime();
            while (used >= capacity && !closed && nanos > 0) {
                nanos = freed.awaitNanos(nanos);
            }
            return used < capacity || closed || nanos > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting request: the writer is closing, and they write on their own threads. */
    void close() {
        lock.lock();
        try {
            closed = true;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
