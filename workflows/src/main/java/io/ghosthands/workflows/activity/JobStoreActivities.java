package io.ghosthands.workflows.activity;

import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobEnded;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.JobRequeue;
import io.ghosthands.workflows.payload.Pause;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Mirrors a job's transitions into {@code gh_automation_jobs} and {@code gh_job_events}. Every method
 * is idempotent: a retry or a replay never writes a second event or moves a finished job.
 */
@ActivityInterface
public interface JobStoreActivities {

    /**
     * Marks the job {@code running} on this worker and returns this worker process's session queue.
     * Fails with type {@code job_not_claimable} when the job already ended (e.g. cancelled meanwhile).
     */
    @ActivityMethod
    Claim claim(ClaimRequest request);

    /** Marks the job {@code completed} with its result. */
    @ActivityMethod
    void complete(JobCompletion completion);

    /** Puts a running job back to {@code queued} for an automatic retry (retry_count + 1). */
    @ActivityMethod
    void requeue(JobRequeue requeue);

    /**
     * Marks the job {@code failed}, {@code cancelled} or {@code expired}; a job whose final submit was
     * clicked also gets {@code result_data.submitted_at} and {@code result_data.submission_confirmed}.
     * Returns what the row says of the submission (also when it had already ended); null from
     * histories written before it returned anything.
     */
    @ActivityMethod
    JobEnded fail(JobFailure failure);

    /** Marks a running job {@code paused} for a human, with its (non-secret) interaction. */
    @ActivityMethod
    void pause(Pause pause);

    /**
     * Records, durably and before the click, that the job's final submit is about to be clicked: a
     * later attempt of the same job must not submit again.
     */
    @ActivityMethod
    void markSubmitting(JobNote note);

    /** Writes an event; with {@code status}, also moves a paused job back to it. */
    @ActivityMethod
    void note(JobNote note);
}
