package io.ghosthands.activities.browser;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How many browser lanes of this worker are spoken for, so that the worker claims a job only when
 * a lane is free (nothing waits claimed-but-idle behind busy lanes, to be retried as
 * {@code worker_lost} by a schedule-to-start timeout).
 *
 * <p>A lane is spoken for by a job from its claim until its browser work here is over: its step
 * running, or between two steps of one attempt (e.g. ready to submit), or just claimed and waiting
 * for its first step (both bounded by a hold time, in case the step never comes: the workflow was
 * cancelled, or it ended meanwhile). A job paused for a human keeps its page but not its lane. A lane
 * is also spoken for while a claim poller holds a slot for it: the claim queues are polled only
 * through {@link #reserve(String)}, so a worker whose lanes are all busy does not even ask Temporal
 * for a claim.
 *
 * <p>A worker that polls two claim queues (its own and the shared one) serves its own first: the
 * shared queue is polled only once the own queue's poll has been open for a moment without a claim
 * (that queue is empty). It may then have a poll waiting on each while only one lane is free, so that
 * neither queue starves behind the other's long poll; if both deliver a claim at once,
 * {@link #admit} refuses the second, and the workflow retries it (for this worker or another).
 */
public final class LaneGate implements AutoCloseable {

    /** How long a claimed job keeps its lane while its first step is on its way. */
    public static final long CLAIM_HOLD_MS = 30_000;

    /** How long a job between two steps keeps its lane (a step that ended and the next one coming). */
    public static final long BETWEEN_STEPS_HOLD_MS = 60_000;

    /** How long a job whose step ended keeps its lane until its workflow records the end. */
    public static final long FINISH_HOLD_MS = 5_000;

    private static final long RUNNING = Long.MAX_VALUE;

    private final int lanes;
    // job id -> until when (System.nanoTime) it holds a lane; RUNNING while a step runs
    private final Map<String, Long> held = new HashMap<>();
    // claim slots: polling (per queue) and executing a claim
    private final Map<String, Integer> polling = new HashMap<>();
    private int executing;
    private final Deque<Reservation> waiting = new ArrayDeque<>();
    private final ScheduledExecutorService ticker;
    // a named worker's own claim queue: its jobs go before the shared pool's (null: no such queue)
    private final String ownQueue;
    // since when (System.nanoTime) the own queue's poll has been open without a claim: it is empty
    private long ownPollSince;

    /** A claim slot granted (or still to be granted) to a poller of {@code queue}. */
    public final class Reservation {
        final String queue;
        final CompletableFuture<Reservation> granted = new CompletableFuture<>();
        private boolean used;
        private boolean released;

        Reservation(String queue) {
            this.queue = queue;
        }

        /** Completes when the slot is granted. */
        public CompletableFuture<Reservation> granted() {
            return granted;
        }

        /**
         * Gives the reservation up: a waiting one is withdrawn (returns false), a granted one stays
         * granted and must be {@linkplain #release() released} by its holder (returns true).
         */
        public boolean abort() {
            synchronized (LaneGate.this) {
                if (granted.isDone()) {
                    return !granted.isCompletedExceptionally();
                }
                waiting.remove(this);
                granted.cancel(false);
                return false;
            }
        }

        /** The poll delivered a claim: the slot now executes it. */
        public void used() {
            synchronized (LaneGate.this) {
                if (!used && !released) {
                    used = true;
                    polling.merge(queue, -1, Integer::sum);
                    executing++;
                    grant(); // an own-queue claim: the other queues wait until that queue is empty again
                }
            }
        }

        /** The poll came back empty, or its claim is done: the slot is free again. */
        public void release() {
            synchronized (LaneGate.this) {
                if (released) {
                    return;
                }
                released = true;
                if (used) {
                    executing--;
                } else {
                    polling.merge(queue, -1, Integer::sum);
                }
                grant();
            }
        }
    }

    /**
     * How long the own queue's poll must have been open without a claim (so that queue is empty)
     * before the other queues may poll: jobs aimed at this worker go before the shared pool's.
     */
    public static final long OWN_QUEUE_FIRST_MS = 300;

    public LaneGate(int lanes) {
        this(lanes, null);
    }

    /** @param ownQueue the claim queue of jobs aimed at this worker, served before the others */
    public LaneGate(int lanes, String ownQueue) {
        this.ownQueue = ownQueue;
        this.lanes = Math.max(1, lanes);
        this.ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("lane-gate"));
        // holds run out by themselves: a waiting poller gets the lane they spoke for
        ticker.scheduleWithFixedDelay(this::tick, 500, 500, TimeUnit.MILLISECONDS);
    }

    public int lanes() {
        return lanes;
    }

    /** Asks for a claim slot for a poller of {@code queue}; granted as soon as a lane is free for it. */
    public synchronized Reservation reserve(String queue) {
        Reservation r = new Reservation(queue);
        waiting.add(r);
        grant();
        return r;
    }

    /** A claim slot now if a lane is free for it, else null. */
    public synchronized Reservation tryReserve(String queue) {
        expire();
        if (!mayPoll(queue)) {
            return null;
        }
        Reservation r = new Reservation(queue);
        polled(queue);
        r.granted.complete(r);
        return r;
    }

    /**
     * From the claim activity, before it claims: takes a lane for the job, or returns false when none
     * is free (the claim is then refused, and retried). Claims that execute at once race for the free
     * lanes; pollers meanwhile count every executing claim as a lane taken, so they never ask for more.
     */
    public synchronized boolean admit(String jobId) {
        expire();
        if (held.containsKey(jobId)) {
            held.put(jobId, Math.max(held.get(jobId), deadline(CLAIM_HOLD_MS)));
            return true;
        }
        if (held.size() >= lanes) {
            return false;
        }
        held.put(jobId, deadline(CLAIM_HOLD_MS));
        return true;
    }

    /** A browser step of the job starts here: its lane is held until the step ends. */
    public synchronized void stepStarted(String jobId) {
        held.put(jobId, RUNNING);
    }

    /** A step of the job ended; its lane stays held for {@code holdMs} more (0: free now). */
    public synchronized void stepEnded(String jobId, long holdMs) {
        if (holdMs <= 0) {
            held.remove(jobId);
        } else {
            held.put(jobId, deadline(holdMs));
        }
        grant();
    }

    /** The job's browser work here is over (recorded, closed, paused, refused). */
    public synchronized void release(String jobId) {
        Long until = held.get(jobId);
        // a step that runs keeps its lane whatever else is recorded meanwhile
        if (until != null && until != RUNNING) {
            held.remove(jobId);
            grant();
        }
    }

    /** Lanes spoken for by jobs (running, between steps, just claimed). */
    public synchronized int heldJobs() {
        expire();
        return held.size();
    }

    /** Claim slots outstanding: polling or executing a claim. */
    public synchronized int claimSlots() {
        return executing + polling.values().stream().mapToInt(Integer::intValue).sum();
    }

    private boolean mayPoll(String queue) {
        int free = lanes - held.size() - executing;
        int polls = polling.values().stream().mapToInt(Integer::intValue).sum();
        boolean laneFree = free - polls > 0 || (polling.getOrDefault(queue, 0) == 0 && free > 0);
        if (!laneFree || ownQueue == null || queue.equals(ownQueue)) {
            return laneFree;
        }
        // another queue (the shared pool) only once the own queue's poll has waited a while in vain
        return polling.getOrDefault(ownQueue, 0) > 0
                && System.nanoTime() - ownPollSince > TimeUnit.MILLISECONDS.toNanos(OWN_QUEUE_FIRST_MS);
    }

    private void polled(String queue) {
        if (queue.equals(ownQueue) && polling.getOrDefault(queue, 0) == 0) {
            ownPollSince = System.nanoTime();
        }
        polling.merge(queue, 1, Integer::sum);
    }

    private void grant() {
        expire();
        for (Iterator<Reservation> it = waiting.iterator(); it.hasNext(); ) {
            Reservation r = it.next();
            if (r.granted.isDone()) {
                it.remove();
                continue;
            }
            if (mayPoll(r.queue)) {
                it.remove();
                polled(r.queue);
                r.granted.complete(r);
            }
        }
    }

    private void expire() {
        long now = System.nanoTime();
        held.values().removeIf(until -> until != RUNNING && now - until > 0);
    }

    private synchronized void tick() {
        grant();
    }

    private static long deadline(long ms) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        for (Reservation r : waiting) {
            r.granted.cancel(false);
        }
        waiting.clear();
    }
}
