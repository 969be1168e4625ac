package io.ghosthands.workflows;

import io.ghosthands.workflows.payload.Callback;

/** See {@link CallbackWorkflow}. */
public class CallbackWorkflowImpl implements CallbackWorkflow {

    private final JobWorkflowImpl.Settings settings;

    /** The production settings. */
    public CallbackWorkflowImpl() {
        this(JobWorkflowImpl.Settings.DEFAULT);
    }

    /** Register with {@code registerWorkflowImplementationFactory}; the same settings as the job workflows. */
    public CallbackWorkflowImpl(JobWorkflowImpl.Settings settings) {
        this.settings = settings;
    }

    @Override
    public void deliver(Callback callback) {
        new CallbackDelivery(settings).deliver(callback);
    }
}
