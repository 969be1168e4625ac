package io.ghosthands.activities.browser;

import io.ghosthands.activities.store.DatabaseOutage;
import io.ghosthands.activities.store.JobStore;
import io.temporal.activity.Activity;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step's own database calls, made so that a PostgreSQL restart does not cost the step: they run
 * beside the activity's thread, which keeps heartbeating to Temporal meanwhile, and the row's
 * heartbeat is a mirror written on the side that never holds the step up.
 */
final class DatabasePatience {

    private static final Logger log = LoggerFactory.getLogger(DatabasePatience.class);

    private static final ExecutorService DB_CALLS = daemonPool("gh-step-db");
    private static final ExecutorService MIRROR = daemonPool("gh-row-heartbeat");

    private final JobStore jobs;
    /** Jobs whose row heartbeat is being written. */
    private final Set<UUID> mirroring = ConcurrentHashMap.newKeySet();

    DatabasePatience(JobStore jobs) {
        this.jobs = jobs;
    }

    private static ExecutorService daemonPool(String name) {
        return Executors.newCachedThreadPool(DaemonThreads.named(name));
    }

    /**
     * A database call of a step's own thread: the call runs beside the activity's thread, which
     * heartbeats to Temporal while it waits (a call waits up to the pool's 10 s for a connection, as
     * long as the step's heartbeat timeout), and is tried again while the database cannot be reached,
     * for up to {@code patienceMs}. Other failures, and the outage past that, are thrown.
     */
    <T> T await(String jobId, String what, long patienceMs, Supplier<T> call) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMs);
        while (true) {
            Future<T> attempt = DB_CALLS.submit(call::get);
            try {
                while (true) {
                    try {
                        return attempt.get(BrowserActivitiesImpl.HEARTBEAT_EVERY_MS, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException stillWaiting) {
                        heartbeatQuietly();
                    }
                }
            } catch (InterruptedException e) {
                attempt.cancel(true);
                Thread.currentThread().interrupt();
                throw Activity.wrap(e);
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : Activity.wrap(e.getCause());
                if (!DatabaseOutage.is(cause) || System.nanoTime() - until > 0) {
                    throw cause;
                }
                log.warn("job {}: {} waits for the database: {}", jobId, what, DatabaseOutage.describe(cause));
                pauseHeartbeating();
            }
        }
    }

    /** About a second's pause between attempts, heartbeating to Temporal meanwhile. */
    private static void pauseHeartbeating() {
        long pause = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() - pause < 0) {
            heartbeatQuietly();
            try {
                Thread.sleep(BrowserActivitiesImpl.HEARTBEAT_EVERY_MS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw Activity.wrap(ie);
            }
        }
    }

    /** A heartbeat to Temporal from the activity's thread, if it is in one; failures are left to the next. */
    static void heartbeatQuietly() {
        try {
            Activity.getExecutionContext().heartbeat(null);
        } catch (RuntimeException e) {
            // not in an activity (tests), or cancelled: the step's result says the rest
        }
    }

    /**
     * The row's {@code last_heartbeat}, written beside the step (at most one write per job at a time).
     * It is a mirror for the monitoring: while PostgreSQL is down or restarting it waits out the pool's
     * timeout and fails, and that must neither fail the step (its lane would go on alone, and might
     * submit for an attempt the workflow has already given up) nor hold up the step's heartbeats to
     * Temporal.
     */
    void mirrorHeartbeat(UUID id) {
        if (!mirroring.add(id)) {
            return;
        }
        try {
            MIRROR.execute(() -> {
                try {
                    jobs.heartbeat(id);
                } catch (RuntimeException e) {
                    log.debug("job {}: row heartbeat not written: {}", id, e.toString());
                } finally {
                    mirroring.remove(id);
                }
            });
        } catch (RuntimeException e) {
            mirroring.remove(id);
        }
    }
}
