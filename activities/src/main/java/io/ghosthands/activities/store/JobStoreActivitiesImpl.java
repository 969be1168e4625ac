package io.ghosthands.activities.store;

import io.ghosthands.workflows.JobWorkflowImpl;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobRequeue;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.UUID;

/**
 * {@link JobStoreActivities} for one worker process: it knows the worker's id and the process's
 * session queue, which is what a claim hands back to the workflow.
 */
public class JobStoreActivitiesImpl implements JobStoreActivities {

  private final JobStore store;
  private final String workerId;
  private final String sessionQueue;

  public JobStoreActivitiesImpl(JobStore store, String workerId, String sessionQueue) {
    this.store = store;
    this.workerId = workerId;
    this.sessionQueue = sessionQueue;
  }

  /** The workflow run this write comes from (local and regular activities alike). */
  private static String runId() {
    return Activity.getExecutionContext().getInfo().getRunId();
  }

  @Override
  public Claim claim(ClaimRequest request) {
    if (store.claim(UUID.fromString(request.jobId()), runId(), workerId, request.eventId()).isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Job " + request.jobId() + " has already ended", JobWorkflowImpl.NOT_CLAIMABLE);
    }
    return new Claim(workerId, sessionQueue);
  }

  @Override
  public void complete(JobCompletion c) {
    store.complete(
        UUID.fromString(c.jobId()), runId(), c.eventId(), workerId, c.resultData(), c.resultSummary(), c.screenshotUrls());
  }

  @Override
  public void requeue(JobRequeue r) {
    store.requeue(UUID.fromString(r.jobId()), runId(), r.eventId(), workerId, r.errorCode(), r.errorMessage(),
        r.attempt(), r.backoffSeconds());
  }

  @Override
  public void fail(JobFailure f) {
    store.end(
        UUID.fromString(f.jobId()),
        runId(),
        f.eventId(),
        workerId,
        f.status(),
        f.errorCode(),
        f.errorMessage(),
        f.details());
  }
}
