package io.ghosthands.workflows.activity;

import io.ghosthands.workflows.payload.Callback;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Delivers callbacks to a job's {@code callback_url}. */
@ActivityInterface
public interface CallbackActivities {

    /**
     * POSTs the callback once, signed. Throws when the receiver did not take it (the workflow's retry
     * policy tries again with backoff); each attempt is a job event.
     */
    @ActivityMethod
    void deliver(Callback callback);
}
