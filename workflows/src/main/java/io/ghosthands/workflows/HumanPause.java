package io.ghosthands.workflows;

import io.ghosthands.workflows.StepFailures.HumanCancelled;
import io.ghosthands.workflows.StepFailures.JobFailed;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.callback.NeedsHumanBody;
import io.ghosthands.workflows.callback.PauseInteraction;
import io.ghosthands.workflows.callback.ResumedBody;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.HumanAction;
import io.ghosthands.workflows.payload.Interaction;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.Pause;
import io.ghosthands.workflows.payload.Progress;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's pauses for a human (contract section 4): the job is mirrored {@code paused}, {@code
 * needs_human} is sent, and the workflow waits for the {@code resume} signal under a durable timer
 * of the claim's {@code hitl_timeout_seconds}. A resume that comes while the job is not paused is
 * ignored. Workflow code only.
 */
final class HumanPause {

    private final JobStoreActivities store;
    private final JobCallbacks callbacks;

    // set while paused, so a resume that comes at any other time is ignored
    private boolean awaiting;
    private HumanAction action;

    HumanPause(JobStoreActivities store, JobCallbacks callbacks) {
        this.store = store;
        this.callbacks = callbacks;
    }

    /** The {@code resume} signal: taken when the job is paused and no action was taken yet. */
    void resume(HumanAction given) {
        if (awaiting && action == null && given != null) {
            action = given;
        }
    }

    /**
     * Pauses the job for a human and waits for the resume signal under a durable timer. Returns the
     * human's action; throws when the human cancelled, the pause timed out ({@code onTimeout} runs
     * first), or the job was cancelled.
     */
    HumanAction await(String jobId, Claim claim, Interaction why, int round, Progress progress, Runnable onTimeout) {
        int timeout = claim.hitlTimeoutSeconds();
        long pausedAt = Workflow.currentTimeMillis();
        String pausedIso = Instant.ofEpochMilli(pausedAt).toString();
        String expiresIso = Instant.ofEpochMilli(pausedAt + timeout * 1000L).toString();
        awaiting = true;
        action = null;
        store.pause(new Pause(jobId, JobWorkflowImpl.eventId(), why, pausedIso, expiresIso, timeout, round));
        JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.PAUSED.value());
        callbacks.send(
                jobId,
                claim,
                new NeedsHumanBody(PauseInteraction.of(why, pausedIso, expiresIso, timeout, round), progress));

        boolean acted = Workflow.await(
                Duration.ofSeconds(timeout),
                () -> action != null || CancellationScope.current().isCancelRequested());
        awaiting = false;
        if (CancellationScope.current().isCancelRequested()) {
            throw new CanceledFailure("job cancelled while paused for a human");
        }
        if (!acted) {
            onTimeout.run();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("blocker_type", why.reason());
            details.put("screenshot_url", why.screenshotUrl());
            details.put("timeout_seconds", timeout);
            throw new JobFailed(
                    ErrorCode.HUMAN_TIMEOUT,
                    "No human resolved the " + why.reason() + " within " + timeout + "s",
                    details);
        }
        HumanAction taken = action;
        if (taken.cancels()) {
            throw new HumanCancelled();
        }
        JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.RUNNING.value());
        String resolution = taken.resolutionType() == null ? "manual" : taken.resolutionType();
        callbacks.send(jobId, claim, new ResumedBody(JobCallbacks.now(), resolution));
        store.note(new JobNote(
                jobId,
                JobWorkflowImpl.eventId(),
                "hitl_resume_applied",
                "Continuing after the human's " + resolution,
                Map.of("resolution_type", resolution, "round", round),
                JobStatus.RUNNING.value()));
        return taken;
    }
}
