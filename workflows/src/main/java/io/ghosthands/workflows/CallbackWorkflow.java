package io.ghosthands.workflows;

import io.ghosthands.workflows.payload.Callback;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Delivers one callback that no job workflow will send: the {@code cancelled} callback of a job
 * cancelled before a worker claimed it (its own workflow was never started, or is ended unclaimed).
 * The API starts one per callback from its outbox ({@code gh_callback_outbox}); the delivery is the
 * one every job workflow uses ({@link CallbackDelivery}): signed, retried with backoff for the
 * configured maximum age. Workflow id {@code gh-callback-<event id>}, never reused, so relaying a
 * callback twice delivers it once.
 */
@WorkflowInterface
public interface CallbackWorkflow {

    /** The workflow type, for untyped stubs. */
    String TYPE = "CallbackWorkflow";

    @WorkflowMethod(name = TYPE)
    void deliver(Callback callback);
}
