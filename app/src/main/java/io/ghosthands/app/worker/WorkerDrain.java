package io.ghosthands.app.worker;

import io.ghosthands.app.worker.WorkerRuntime.DrainOutcome;
import io.ghosthands.app.worker.WorkerRuntime.State;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's life after it started: {@code active}, then two-phase stopping (see {@link
 * WorkerRuntime}). Phase one stops the claim pollers and lets the jobs held here finish for up to the
 * drain timeout; phase two (or the timeout) kills the browsers first, so a workflow that retries an
 * interrupted job elsewhere never finds a second browser still working on it. A drain asked for
 * while the worker is still starting is queued and begins once the pollers it stops exist.
 */
final class WorkerDrain {

    private static final Logger log = LoggerFactory.getLogger(WorkerDrain.class);

    /** What a {@code POST /worker/drain} did: whether it began a drain, and whether that is queued. */
    record Request(boolean began, boolean queued) {}

    private final String workerId;
    private final Duration timeout;
    private final WorkerPollers pollers;
    private final WorkerBrowsers browsers;
    private final WorkerRegistry registry;
    // writes the registry row's status
    private final Runnable heartbeat;
    private final CountDownLatch forced = new CountDownLatch(1);
    private volatile State state = State.ACTIVE;
    private volatile Instant startedAt;
    private CompletableFuture<DrainOutcome> drained; // guarded by this
    // false until every poller is started; a drain asked for before then waits for it (guarded by this)
    private boolean started;

    WorkerDrain(
            String workerId,
            Duration timeout,
            WorkerPollers pollers,
            WorkerBrowsers browsers,
            WorkerRegistry registry,
            Runnable heartbeat) {
        this.workerId = workerId;
        this.timeout = timeout;
        this.pollers = pollers;
        this.browsers = browsers;
        this.registry = registry;
        this.heartbeat = heartbeat;
    }

    State state() {
        return state;
    }

    Duration timeout() {
        return timeout;
    }

    /** When the drain began, or null. */
    Instant startedAt() {
        return startedAt;
    }

    /**
     * The worker's pollers are up: it starts claiming jobs, or, when a drain arrived while starting
     * (the status port, a deregistration), the drain begins now and this worker never claims a job
     * (starting pollers it had already stopped would throw).
     */
    synchronized void workerStarted() {
        started = true;
        if (drained == null) {
            pollers.startClaims();
        } else {
            begin();
        }
    }

    /** See {@link WorkerRuntime#drain()}. */
    synchronized CompletableFuture<DrainOutcome> drain() {
        if (drained != null) {
            return drained;
        }
        drained = new CompletableFuture<>();
        if (state != State.ACTIVE) {
            drained.complete(new DrainOutcome(true, 0));
            return drained;
        }
        if (!started) {
            log.info("worker {}: drain asked for while starting; it begins once the worker is up", workerId);
            return drained;
        }
        begin();
        return drained;
    }

    /** Drains; says whether this call began the drain and whether it waits for the worker to start. */
    synchronized Request request() {
        boolean began = drained == null && state == State.ACTIVE;
        drain();
        return new Request(began, queued());
    }

    /** Whether a drain was asked for before the worker finished starting and has not begun yet. */
    synchronized boolean queued() {
        return drained != null && !started;
    }

    /** See {@link WorkerRuntime#forceStop()}. */
    CompletableFuture<DrainOutcome> forceStop() {
        forced.countDown();
        return drain();
    }

    /** The drain, or null when the worker is offline already. */
    synchronized CompletableFuture<DrainOutcome> drainUnlessOffline() {
        return state == State.OFFLINE ? null : drain();
    }

    /** Marks the worker offline; false when it was already. */
    synchronized boolean goOffline() {
        if (state == State.OFFLINE) {
            return false;
        }
        state = State.OFFLINE;
        return true;
    }

    private synchronized void begin() {
        startedAt = Instant.now();
        state = State.DRAINING;
        // no new claims: jobs for the pool go to other workers, jobs aimed at this one wait for it.
        // The job and session queues stay polled so that the jobs held here finish here.
        pollers.stopClaims();
        heartbeat.run();
        log.info(
                "worker {} draining: no new jobs; {} job(s) held, up to {}s to finish",
                workerId,
                browsers.jobsHeld(),
                timeout.toSeconds());
        Thread thread = new Thread(this::run, "worker-drain");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int running = awaitJobs();
        int held = browsers.jobsHeld();
        boolean clean = held == 0;
        if (!clean) {
            log.warn(
                    "worker {}: {}; stopping {} job(s) hard, their workflows retry them elsewhere",
                    workerId,
                    forced.getCount() == 0 ? "told to stop now" : "drain timeout (" + timeout.toSeconds() + "s) passed",
                    held);
        } else if (running > 0) {
            log.info("worker {}: browser work done; {} job(s) still finishing their bookkeeping", workerId, running);
        }
        try {
            release(clean);
        } finally {
            state = State.DRAINED;
            log.info("worker {} drained{}", workerId, clean ? "" : " (hard stop)");
            synchronized (this) {
                drained.complete(new DrainOutcome(clean, held));
            }
        }
    }

    /**
     * Waits until the jobs held here are over, the timeout passed or a hard stop was asked for;
     * returns how many of this worker's jobs still read running when it stopped looking.
     */
    private int awaitJobs() {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextMirrorCheck = 0;
        int running = 1;
        try {
            // pages waiting for a human stay (with their live view) until their pause ends
            while (System.nanoTime() - browsers.sessions().pausedHeldUntilNanos(deadline) < 0) { // the later of the two
                if (browsers.jobsHeld() == 0 && System.nanoTime() - nextMirrorCheck >= 0) {
                    // the browser work is over; the jobs' last workflow tasks (mirror writes, callbacks) are
                    // over once none of the jobs claimed here still reads running
                    running = runningJobs();
                    nextMirrorCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    if (running == 0) {
                        break;
                    }
                }
                if (forced.await(200, TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return running;
    }

    /** Stops the pollers and closes the browsers; with {@code clean} false, kills them first. */
    private void release(boolean clean) {
        if (!clean) {
            // before anything else: no page may outlive the hard stop. The steps fail at once and report
            // it; the workflow tasks that follow still run here and requeue the jobs, whose retries are
            // claimed by other workers (this one refuses claims).
            browsers.killBrowsers();
        }
        pollers.stopSteps(5);
        if (!clean) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runningJobs() > 0 && System.nanoTime() - until < 0) {
                sleep(200);
            }
        }
        pollers.stopNow(5);
        browsers.close();
    }

    /** The jobs claimed here whose row still reads running (0 when the database cannot say). */
    private int runningJobs() {
        try {
            return registry.runningJobs();
        } catch (RuntimeException e) {
            log.warn("worker {}: could not read its jobs: {}", workerId, e.getMessage());
            return 0;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
