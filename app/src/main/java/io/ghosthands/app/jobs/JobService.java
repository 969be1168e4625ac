package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.workflows.JobWorkflow;
import io.ghosthands.workflows.TaskQueues;
import io.ghosthands.workflows.WorkflowIds;
import io.ghosthands.workflows.payload.JobRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates jobs: the row and its {@code job_created} event in one transaction, then the job's
 * workflow on its task queue. If Temporal cannot be reached the row stays {@code pending} and the
 * {@link Dispatcher} starts it later, so an accepted job is never lost.
 */
@Service
public class JobService {

  private static final Logger log = LoggerFactory.getLogger(JobService.class);

  private final JobRepository jobs;
  private final WorkflowClient temporal;
  private final TransactionTemplate tx;

  public JobService(JobRepository jobs, WorkflowClient temporal, TransactionTemplate tx) {
    this.jobs = jobs;
    this.temporal = temporal;
    this.tx = tx;
  }

  /** What a create returns. */
  public record Created(UUID id, String status, String createdAt) {}

  /** Writes the job and dispatches it; throws {@link DuplicateJobException} on a repeated key. */
  public Created create(NewJob job) {
    UUID id = UUID.randomUUID();
    String workflowId = WorkflowIds.forJob(id);
    OffsetDateTime createdAt;
    try {
      createdAt =
          tx.execute(
              status -> {
                OffsetDateTime at = jobs.insert(id, workflowId, job);
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("job_type", job.jobType());
                meta.put("target_worker_id", job.targetWorkerId());
                meta.put("created_by", job.createdBy());
                jobs.event(
                    new JobEvent(
                        UUID.randomUUID().toString(),
                        id.toString(),
                        "job_created",
                        null,
                        "pending",
                        "Job created",
                        meta,
                        "api"));
                return at;
              });
    } catch (DuplicateKeyException e) {
      if (job.idempotencyKey() != null) {
        Map<String, Object> existing = jobs.findByIdempotencyKey(job.idempotencyKey()).orElse(null);
        if (existing != null) {
          throw new DuplicateJobException(
              String.valueOf(existing.get("id")), String.valueOf(existing.get("status")));
        }
      }
      throw e;
    }
    boolean queued = dispatch(id, job.jobType(), job.targetUrl(), job.targetWorkerId(), job.timeoutSeconds());
    return new Created(id, queued ? "queued" : "pending", createdAt.toInstant().toString());
  }

  /**
   * Starts the job's workflow on its task queue (a workflow that already runs counts as started) and
   * marks the row queued. Returns false, leaving the row pending, when Temporal could not be reached.
   */
  public boolean dispatch(UUID id, String jobType, String targetUrl, String targetWorkerId, int timeoutSeconds) {
    String taskQueue = TaskQueues.forJob(targetWorkerId);
    String runId;
    try {
      JobWorkflow workflow =
          temporal.newWorkflowStub(
              JobWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(WorkflowIds.forJob(id))
                  .setTaskQueue(taskQueue)
                  .build());
      WorkflowExecution execution =
          WorkflowClient.start(
              workflow::run,
              new JobRequest(id.toString(), jobType, targetUrl, targetWorkerId, timeoutSeconds));
      runId = execution.getRunId();
    } catch (WorkflowExecutionAlreadyStarted e) {
      runId = e.getExecution().getRunId();
    } catch (RuntimeException e) {
      log.warn("job {}: could not start its workflow, will retry: {}", id, e.toString());
      return false;
    }
    boolean movedToQueued = jobs.markQueued(id, runId, taskQueue);
    if (!movedToQueued) {
      jobs.setRunId(id, runId);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("task_queue", taskQueue);
    meta.put("workflow_id", WorkflowIds.forJob(id));
    meta.put("run_id", runId);
    jobs.event(
        new JobEvent(
            UUID.randomUUID().toString(),
            id.toString(),
            "job_dispatched",
            movedToQueued ? "pending" : null,
            movedToQueued ? "queued" : null,
            "Workflow started on " + taskQueue,
            meta,
            "api"));
    return true;
  }
}
