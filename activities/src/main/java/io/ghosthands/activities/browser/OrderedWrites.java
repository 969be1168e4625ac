package io.ghosthands.activities.browser;

import io.ghosthands.activities.store.DatabaseOutage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database writes a browser step makes as it goes (its events, screenshots and trace), taken off
 * the lane's thread so that the page work does not wait for each insert: each job's writes run in
 * the order they were made, on a small pool, and {@link #flush} waits for them before the step
 * reports back, so whoever reads the step's result finds every row it names.
 */
final class OrderedWrites {

    private static final Logger log = LoggerFactory.getLogger(OrderedWrites.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "gh-step-writes-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    /** How long a write that meets a database outage is tried again (the writes are idempotent). */
    private final long patienceMs;

    private final long pauseMs;

    OrderedWrites() {
        this(60_000, 1_000);
    }

    OrderedWrites(long patienceMs, long pauseMs) {
        this.patienceMs = patienceMs;
        this.pauseMs = pauseMs;
    }

    /** Queues {@code write} after the job's earlier ones. */
    void submit(String jobId, Runnable write) {
        tails.compute(
                jobId,
                (k, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                        .thenRunAsync(
                                () -> {
                                    try {
                                        runPatiently(write);
                                    } catch (RuntimeException e) {
                                        failures.merge(k, e, (first, next) -> {
                                            first.addSuppressed(next);
                                            return first;
                                        });
                                    }
                                },
                                pool));
    }

    /**
     * Runs the write; while PostgreSQL cannot be reached (restarting) it is tried again, for up to
     * {@code patienceMs}, so that a restart costs the job none of its events, screenshots or trace
     * (the later writes of the job wait behind it, in order).
     */
    private void runPatiently(Runnable write) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMs);
        while (true) {
            try {
                write.run();
                return;
            } catch (RuntimeException e) {
                if (!DatabaseOutage.is(e) || System.nanoTime() - until > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * {@link #flush(String, int)}, running {@code whileWaiting} about every second until the writes
     * are done (a step heartbeats meanwhile: while the database restarts, writes wait for it).
     */
    void flush(String jobId, int seconds, Runnable whileWaiting) {
        CompletableFuture<Void> tail = tails.get(jobId);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (tail != null && !tail.isDone() && System.nanoTime() - until < 0) {
            try {
                tail.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                whileWaiting.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                break; // the writes catch their own failures: not expected
            }
        }
        flush(jobId, Math.max(1, (int) TimeUnit.NANOSECONDS.toSeconds(until - System.nanoTime())));
    }

    /**
     * Waits up to {@code seconds} for the job's queued writes. A write that failed (the database was
     * away for longer than the patience) is logged: a missing event or screenshot row must not undo a step's real work.
     */
    void flush(String jobId, int seconds) {
        CompletableFuture<Void> tail = tails.remove(jobId);
        try {
            if (tail != null) {
                tail.get(seconds, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("job {}: step writes still pending after {} s: {}", jobId, seconds, e.toString());
        }
        RuntimeException failed = failures.remove(jobId);
        if (failed != null) {
            log.warn("job {}: an event, screenshot or trace of the step was not stored: {}", jobId, failed.toString());
        }
    }
}
