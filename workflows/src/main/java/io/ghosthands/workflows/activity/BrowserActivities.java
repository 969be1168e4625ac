package io.ghosthands.workflows.activity;

import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Browser steps. They run on the claiming worker's session queue, where the job's browser context
 * (its session) lives from {@link #start} to {@link #close}: a page paused for a human stays open
 * there, and the resume continues on it. Failures carry an {@link io.ghosthands.workflows.ErrorCode}
 * wire code as their type and close the session.
 */
@ActivityInterface
public interface BrowserActivities {

    /**
     * Opens a fresh session (closing any left from an earlier attempt), goes to the job's page and
     * runs the job's engine until it is done, needs a human, or is ready for the final submit.
     */
    @ActivityMethod
    StepResult start(StepRequest request);

    /**
     * Applies a human's resolution to the paused page (types the code, signs in…) and runs the engine
     * on from there. Fails with {@code worker_lost} when this worker no longer holds the session.
     */
    @ActivityMethod
    StepResult resume(ResumeStep request);

    /**
     * Clicks the final submit (the workflow recorded the submission first) and waits for the
     * confirmation.
     */
    @ActivityMethod
    StepResult submit(StepRequest request);

    /** Closes the job's session if this worker still holds it. Idempotent. */
    @ActivityMethod
    void close(String jobId);
}
