package io.ghosthands.app.jobs;

import io.ghosthands.workflows.WorkflowIds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether a job's workflow runs, as Temporal tells it: a cancel or resume of a claimed job needs a
 * live workflow to act on it, and the {@link Reconciler} fails the jobs whose workflow is gone.
 */
@Component
public class WorkflowLiveness {

    private static final Logger log = LoggerFactory.getLogger(WorkflowLiveness.class);

    private final WorkflowClient temporal;

    public WorkflowLiveness(WorkflowClient temporal) {
        this.temporal = temporal;
    }

    /** Whether the job's workflow runs, as far as Temporal can tell. */
    public enum Liveness {
        /** Its latest run is running. */
        LIVE,
        /** Temporal does not know it, or its latest run ended. */
        GONE,
        /** Temporal could not be reached (or did not answer in time). */
        UNREACHABLE
    }

    /** How long {@link #liveness} waits for Temporal's answer. */
    static final int LIVENESS_DEADLINE_SECONDS = 3;

    /** Asks Temporal whether the job's workflow runs. */
    public Liveness liveness(UUID id) {
        try {
            // one call with a short deadline, no retries: during an outage a resume must answer quickly
            var status = temporal.getWorkflowServiceStubs()
                    .blockingStub()
                    .withDeadlineAfter(LIVENESS_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(temporal.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(WorkflowIds.forJob(id)))
                            .build())
                    .getWorkflowExecutionInfo()
                    .getStatus();
            return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING ? Liveness.LIVE : Liveness.GONE;
        } catch (WorkflowNotFoundException e) {
            return Liveness.GONE;
        } catch (RuntimeException e) {
            if (notFound(e)) {
                return Liveness.GONE;
            }
            log.debug("job {}: workflow describe failed: {}", id, e.toString());
            return Liveness.UNREACHABLE;
        }
    }

    /** Whether a failed Temporal call says the workflow does not exist (or no longer runs). */
    static boolean notFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WorkflowNotFoundException) {
                return true;
            }
            if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
                // a namespace Temporal does not know says nothing about the job's workflow (a misconfigured
                // or recreated namespace must not make every job look lost)
                String d = String.valueOf(s.getStatus().getDescription()).toLowerCase(Locale.ROOT);
                boolean namespaceMissing =
                        d.contains("namespace") && !d.contains("execution") && !d.contains("workflow");
                return !namespaceMissing;
            }
        }
        return false;
    }

    /** Throws {@link NoLiveWorkflowException} unless the job's workflow runs. */
    public void requireLiveWorkflow(UUID id, String currentStatus) {
        switch (liveness(id)) {
            case LIVE:
                return;
            case GONE:
                throw new NoLiveWorkflowException(
                        true,
                        currentStatus,
                        "The job's workflow is gone (Temporal lost or ended it); the job is left " + currentStatus
                                + " and the reconciler fails it");
            default:
                throw new NoLiveWorkflowException(
                        false,
                        currentStatus,
                        "Temporal cannot be reached; the job is left " + currentStatus + ", try again later");
        }
    }
}
