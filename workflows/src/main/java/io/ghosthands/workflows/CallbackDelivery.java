package io.ghosthands.workflows;

import io.ghosthands.workflows.activity.CallbackActivities;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Callback;
import io.ghosthands.workflows.payload.JobNote;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a workflow delivers a callback, the same for a job's own workflow and a {@link
 * CallbackWorkflow}: one {@link CallbackActivities#deliver} activity, retried with exponential
 * backoff (from 1 s, at most {@code callbackMaxInterval} apart) for {@code callbackMaxAge}; a receiver
 * that refuses it for good ({@link FailureTypes#CALLBACK_REJECTED}) is not asked again. A callback
 * given up on is recorded as a {@code callback_abandoned} job event. Workflow code only.
 */
final class CallbackDelivery {

    private final CallbackActivities delivery;
    private final JobStoreActivities store;

    CallbackDelivery(JobWorkflowImpl.Settings settings) {
        this.delivery = Workflow.newActivityStub(
                CallbackActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(15))
                        .setScheduleToCloseTimeout(settings.callbackMaxAge())
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofSeconds(1))
                                .setBackoffCoefficient(2)
                                .setMaximumInterval(settings.callbackMaxInterval())
                                .setDoNotRetry(FailureTypes.CALLBACK_REJECTED)
                                .build())
                        .build());
        this.store = ActivityStubs.mirror();
    }

    /** Delivers the callback, or records that it was given up. */
    void deliver(Callback callback) {
        try {
            delivery.deliver(callback);
        } catch (ActivityFailure e) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("callback_status", callback.body().get("status"));
            meta.put("callback_event_id", callback.eventId());
            meta.put("reason", StepFailures.messageOf(e));
            store.note(new JobNote(
                    callback.jobId(),
                    Workflow.randomUUID().toString(),
                    "callback_abandoned",
                    "Gave up delivering the " + callback.body().get("status") + " callback",
                    meta,
                    null));
        }
    }
}
