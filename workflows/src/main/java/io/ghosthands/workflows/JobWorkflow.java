package io.ghosthands.workflows;

import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One job's life: claim on its task queue, run its browser steps on the claiming worker's session
 * queue, mirror every transition into Postgres. Workflow id {@code gh-job-<job id>}.
 */
@WorkflowInterface
public interface JobWorkflow {

  @WorkflowMethod
  JobOutcome run(JobRequest request);
}
