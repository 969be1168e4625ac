package io.ghosthands.activities.store;

import io.ghosthands.activities.browser.LaneGate;
import io.ghosthands.workflows.FailureTypes;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobEnded;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.JobRequeue;
import io.ghosthands.workflows.payload.Pause;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * {@link JobStoreActivities} for one worker process: it knows the worker's id and the process's
 * session queue, which is what a claim hands back to the workflow.
 */
public class JobStoreActivitiesImpl implements JobStoreActivities {

    private final JobStore store;
    private final String workerId;
    private final String sessionQueue;

    private final int defaultHitlTimeoutSeconds;
    private final BooleanSupplier claiming;

    // the worker's browser lanes: a claim takes one (null: no limit, as in workflow tests)
    private final LaneGate lanes;

    /** Activity failure type of a claim refused because every browser lane is spoken for (retried). */
    public static final String NO_FREE_LANE = "no_free_lane";

    /** Activity failure type of a claim refused because the worker is draining (retried elsewhere). */
    public static final String WORKER_DRAINING = "worker_draining";

    public JobStoreActivitiesImpl(JobStore store, String workerId, String sessionQueue) {
        this(store, workerId, sessionQueue, 300);
    }

    public JobStoreActivitiesImpl(JobStore store, String workerId, String sessionQueue, int defaultHitlTimeoutSeconds) {
        this(store, workerId, sessionQueue, defaultHitlTimeoutSeconds, () -> true);
    }

    /**
     * @param defaultHitlTimeoutSeconds how long a pause waits for a human unless the job says
     *     ({@code GH_HITL_TIMEOUT})
     * @param claiming false while the worker takes no new job (draining): a claim that still reaches
     *     it (a poll already waiting when the drain began) is refused and retried for another worker
     */
    public JobStoreActivitiesImpl(
            JobStore store,
            String workerId,
            String sessionQueue,
            int defaultHitlTimeoutSeconds,
            BooleanSupplier claiming) {
        this(store, workerId, sessionQueue, defaultHitlTimeoutSeconds, claiming, null);
    }

    /**
     * @param lanes the worker's browser lanes: a claim takes a free one or is refused (and retried);
     *     the job's recorded end, pause or requeue gives it back
     */
    public JobStoreActivitiesImpl(
            JobStore store,
            String workerId,
            String sessionQueue,
            int defaultHitlTimeoutSeconds,
            BooleanSupplier claiming,
            LaneGate lanes) {
        this.lanes = lanes;
        this.store = store;
        this.claiming = claiming;
        this.workerId = workerId;
        this.sessionQueue = sessionQueue;
        this.defaultHitlTimeoutSeconds = defaultHitlTimeoutSeconds;
    }

    /** The workflow run this write comes from (local and regular activities alike). */
    private static String runId() {
        return Activity.getExecutionContext().getInfo().getRunId();
    }

    @Override
    public Claim claim(ClaimRequest request) {
        if (!claiming.getAsBoolean()) {
            throw ApplicationFailure.newFailure(
                    "worker " + workerId + " is draining and takes no new job", WORKER_DRAINING);
        }
        if (lanes != null && !lanes.admit(request.jobId())) {
            // two claim queues delivered at once with one lane free: this one goes back to the queue
            throw ApplicationFailure.newFailure("worker " + workerId + " has no free browser lane", NO_FREE_LANE);
        }
        JobStore.ClaimedJob job;
        try {
            job = store.claim(UUID.fromString(request.jobId()), runId(), workerId, request.eventId())
                    .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                            "Job " + request.jobId() + " has already ended", FailureTypes.NOT_CLAIMABLE));
        } catch (RuntimeException e) {
            releaseLane(request.jobId());
            throw e;
        }
        if (job.submission() != null) {
            releaseLane(request.jobId()); // no browser step follows: the recorded outcome ends the job
        }
        int hitl = job.hitlTimeoutSeconds() == null ? defaultHitlTimeoutSeconds : job.hitlTimeoutSeconds();
        return new Claim(workerId, sessionQueue, job.callbackUrl(), job.valetTaskId(), hitl, job.submission());
    }

    private void releaseLane(String jobId) {
        if (lanes != null) {
            lanes.release(jobId);
        }
    }

    @Override
    public void complete(JobCompletion c) {
        try {
            store.complete(
                    UUID.fromString(c.jobId()),
                    runId(),
                    c.eventId(),
                    workerId,
                    c.resultData(),
                    c.resultSummary(),
                    c.screenshotUrls(),
                    c.actionCount());
        } finally {
            releaseLane(c.jobId()); // once the row no longer says running here
        }
    }

    @Override
    public void requeue(JobRequeue r) {
        try {
            store.requeue(
                    UUID.fromString(r.jobId()),
                    runId(),
                    r.eventId(),
                    workerId,
                    r.errorCode(),
                    r.errorMessage(),
                    r.attempt(),
                    r.backoffSeconds());
        } finally {
            releaseLane(r.jobId()); // once the row no longer says running here
        }
    }

    @Override
    public JobEnded fail(JobFailure f) {
        try {
            Map<String, Object> submission = store.end(
                    UUID.fromString(f.jobId()),
                    runId(),
                    f.eventId(),
                    workerId,
                    f.status(),
                    f.errorCode(),
                    f.errorMessage(),
                    f.details(),
                    f.actionCount());
            return submission == null
                    ? new JobEnded(null, false)
                    : new JobEnded(
                            (String) submission.get("submitted_at"),
                            Boolean.TRUE.equals(submission.get("submission_confirmed")));
        } finally {
            releaseLane(f.jobId()); // once the row no longer says running here
        }
    }

    @Override
    public void pause(Pause p) {
        try {
            Map<String, Object> interaction = new LinkedHashMap<>();
            interaction.put("reason", p.interaction().reason());
            interaction.put("description", p.interaction().description());
            interaction.put("screenshot_url", p.interaction().screenshotUrl());
            interaction.put("current_url", p.interaction().currentUrl());
            interaction.put("confidence", p.interaction().confidence());
            interaction.put("signals", p.interaction().signals());
            if (p.interaction().questions() != null
                    && !p.interaction().questions().isEmpty()) {
                interaction.put("questions", p.interaction().questions());
            }
            interaction.put("paused_at", p.pausedAt());
            interaction.put("expires_at", p.expiresAt());
            interaction.put("timeout_seconds", p.timeoutSeconds());
            interaction.put("round", p.round());
            store.pause(
                    UUID.fromString(p.jobId()),
                    runId(),
                    p.eventId(),
                    workerId,
                    p.interaction().reason(),
                    interaction,
                    p.interaction().description());
        } finally {
            releaseLane(p.jobId()); // once the row no longer says running here
        }
    }

    @Override
    public void markSubmitting(JobNote n) {
        store.markSubmitting(UUID.fromString(n.jobId()), n.eventId(), workerId);
    }

    @Override
    public void note(JobNote n) {
        store.note(
                UUID.fromString(n.jobId()),
                runId(),
                n.eventId(),
                workerId,
                n.type(),
                n.message(),
                n.metadata() == null ? Map.of() : n.metadata(),
                n.status());
    }
}
