package io.ghosthands.app.worker;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.util.function.BooleanSupplier;

/**
 * Keeps a draining worker from starting a job. Stopping the job queues' polls does not recall the
 * long polls already waiting on the server, so a job created just after a drain began can still be
 * handed to this worker. Such a job's first workflow task fails here, before its claim, and Temporal
 * gives it to a worker that still polls. Replays (jobs this worker already runs) go on.
 */
final class DrainGuard extends WorkerInterceptorBase {

  private final String workerId;
  private final BooleanSupplier draining;

  DrainGuard(String workerId, BooleanSupplier draining) {
    this.workerId = workerId;
    this.draining = draining;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public WorkflowOutput execute(WorkflowInput input) {
        // no history behind this task: the workflow would start its life here. Failing the task
        // records no command, so the worker that takes it next replays nothing of ours.
        if (!Workflow.isReplaying() && draining.getAsBoolean()) {
          throw new WorkerDraining(workerId);
        }
        return super.execute(input);
      }
    };
  }

  /** Fails the workflow task (Temporal retries it elsewhere), never the workflow. */
  static final class WorkerDraining extends IllegalStateException {
    WorkerDraining(String workerId) {
      super("worker " + workerId + " is draining and starts no job; another worker takes this one", null);
    }
  }
}
