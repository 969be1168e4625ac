package io.ghosthands.workflows;

/**
 * Names of the Temporal task queues. Routing is by queue, not by database polling:
 * <ul>
 *   <li>{@link #SHARED} — every job's workflow (orchestration only) and its mirror writes and
 *       callbacks; every worker polls it;
 *   <li>{@link #SHARED_CLAIMS} — claims of jobs for the shared pool; every active worker polls it;
 *   <li>{@code gh-claims-<id>} — claims of jobs targeted at the worker started with
 *       {@code --worker-id=<id>}; only that worker polls it, and stops when it drains;
 *   <li>{@code gh-worker-<id>} — the named worker's own queue (reported, polled; kept for
 *       workflows started by earlier versions);
 *   <li>{@code gh-session-<worker>-<process>} — private to one worker process: every browser step of
 *       a job runs there after the claim, so the page a job opened stays the page it works on.
 * </ul>
 */
public final class TaskQueues {

    /** The shared pool, served by every worker. */
    public static final String SHARED = "gh-shared";

    /** Claims of jobs for the shared pool. */
    public static final String SHARED_CLAIMS = "gh-claims-shared";

    private static final String WORKER_PREFIX = "gh-worker-";
    private static final String CLAIMS_PREFIX = "gh-claims-";
    private static final String SESSION_PREFIX = "gh-session-";

    private TaskQueues() {}

    /** The queue only the worker started with {@code --worker-id=workerId} polls. */
    public static String forWorker(String workerId) {
        return WORKER_PREFIX + workerId;
    }

    /**
     * Where a job is claimed: its target worker's claim queue (only that worker polls it), or the
     * shared pool's.
     */
    public static String claimsFor(String targetWorkerId) {
        return targetWorkerId == null || targetWorkerId.isEmpty() ? SHARED_CLAIMS : CLAIMS_PREFIX + targetWorkerId;
    }

    /** A worker process's private queue for the browser steps of the jobs it claimed. */
    public static String forSession(String workerId, String processId) {
        return SESSION_PREFIX + workerId + "-" + processId;
    }
}
