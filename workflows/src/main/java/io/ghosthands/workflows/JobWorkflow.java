package io.ghosthands.workflows;

import io.ghosthands.workflows.payload.HumanAction;
import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One job's life: claim on its task queue, run its browser steps on the claiming worker's session
 * queue, pause for a human when a page needs one, mirror every transition into Postgres and report
 * it to the job's {@code callback_url}. Workflow id {@code gh-job-<job id>}.
 */
@WorkflowInterface
public interface JobWorkflow {

    /** Name of the {@link #resume} signal, for untyped stubs. */
    String RESUME_SIGNAL = "resume";

    /** The workflow type (the interface's name, as Temporal would default it), for untyped stubs. */
    String TYPE = "JobWorkflow";

    @WorkflowMethod(name = TYPE)
    JobOutcome run(JobRequest request);

    /** A human resolved (or gave up on) the blocker the job is paused on. Ignored when not paused. */
    @SignalMethod(name = RESUME_SIGNAL)
    void resume(HumanAction action);
}
