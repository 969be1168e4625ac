package io.ghosthands.workflows;

import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The activity stubs our workflows call, each with the options its calls have always had (they are
 * part of what a workflow's history records). Workflow code only.
 */
final class ActivityStubs {

    /**
     * Browser steps heartbeat more often than this while they work (every 500 ms); a step silent this
     * long belongs to a worker that died, and its job is retried elsewhere.
     */
    static final Duration BROWSER_HEARTBEAT = Duration.ofSeconds(10);

    // Mirror writes must land: retried with backoff for up to ten minutes of database trouble.
    private static final Duration MIRROR_ATTEMPT = Duration.ofSeconds(15);
    private static final Duration MIRROR_GIVE_UP = Duration.ofMinutes(10);
    private static final RetryOptions MIRROR_RETRY = RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofMillis(500))
            .setMaximumInterval(Duration.ofSeconds(30))
            .build();

    private ActivityStubs() {}

    /** A stub for the mirror writes, as every workflow of ours makes them. */
    static JobStoreActivities mirror() {
        return Workflow.newActivityStub(
                JobStoreActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(MIRROR_ATTEMPT)
                        .setScheduleToCloseTimeout(MIRROR_GIVE_UP)
                        .setRetryOptions(MIRROR_RETRY)
                        .build());
    }

    /**
     * The same writes run in the workflow's own task, for the transition a caller waits on most
     * (completion): no activity task to dispatch and no extra workflow task to finish after it.
     */
    static JobStoreActivities localMirror() {
        return Workflow.newLocalActivityStub(
                JobStoreActivities.class,
                LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(MIRROR_ATTEMPT)
                        .setScheduleToCloseTimeout(MIRROR_GIVE_UP)
                        .setRetryOptions(MIRROR_RETRY)
                        .build());
    }

    /**
     * The claim runs as an activity on the claim queue the job is routed to, so whichever worker takes
     * it from there becomes the owner (see {@link ClaimRouting}). {@code scheduleToStart} bounds how
     * long the target may take to show up (null: unbounded).
     */
    static JobStoreActivities claimer(String queue, Duration scheduleToStart) {
        ActivityOptions.Builder options = ActivityOptions.newBuilder()
                .setTaskQueue(queue)
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(200))
                        .setMaximumInterval(Duration.ofSeconds(5))
                        // the database may blink, and a draining worker may refuse a claim that its
                        // last poll still received; a finished job won't change
                        .setMaximumAttempts(10)
                        .setDoNotRetry(FailureTypes.NOT_CLAIMABLE)
                        .build());
        if (scheduleToStart != null) {
            options.setScheduleToStartTimeout(scheduleToStart);
        }
        return Workflow.newActivityStub(JobStoreActivities.class, options.build());
    }

    /** Browser steps on a worker's session queue, bounded by the job's {@code timeoutSeconds}. */
    static BrowserActivities browserOn(String sessionQueue, Duration scheduleToStart, int timeoutSeconds) {
        return Workflow.newActivityStub(
                BrowserActivities.class,
                ActivityOptions.newBuilder()
                        .setTaskQueue(sessionQueue)
                        .setScheduleToStartTimeout(scheduleToStart)
                        // the step's own page timeouts (the job's remaining budget) fire first; this bounds a
                        // hung browser
                        .setStartToCloseTimeout(Duration.ofSeconds(timeoutSeconds + 30L))
                        .setHeartbeatTimeout(BROWSER_HEARTBEAT)
                        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                        // a half-done browser step is not safely repeatable (it may have typed or clicked);
                        // whole-job retries restart from a clean page instead
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
    }

    /** The close of a session on its worker: tried once, a worker that is gone took it along. */
    static BrowserActivities closer(String sessionQueue) {
        return Workflow.newActivityStub(
                BrowserActivities.class,
                ActivityOptions.newBuilder()
                        .setTaskQueue(sessionQueue)
                        // a worker that is gone took the session with it
                        .setScheduleToStartTimeout(Duration.ofSeconds(30))
                        .setStartToCloseTimeout(Duration.ofSeconds(30))
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
    }
}
