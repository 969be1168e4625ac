package io.ghosthands.workflows;

import io.ghosthands.workflows.callback.CallbackBody;
import io.ghosthands.workflows.callback.CallbackEnvelope;
import io.ghosthands.workflows.payload.Callback;
import io.ghosthands.workflows.payload.Claim;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A job workflow's callbacks (contract section 3): queued as the job moves, delivered in order by
 * their own workflow thread (each one by {@link CallbackDelivery}: retried for up to the configured
 * maximum age, then given up), and flushed before the workflow ends. The sender runs in a detached
 * scope: cancelling the job does not cancel the delivery of its callbacks. Workflow code only.
 */
final class JobCallbacks {

    private final JobWorkflowImpl.Settings settings;
    private final Deque<Callback> outbox = new ArrayDeque<>();
    private boolean closed;
    private Promise<Void> sender;
    private String lastUrl;

    JobCallbacks(JobWorkflowImpl.Settings settings) {
        this.settings = settings;
    }

    /**
     * Queues a callback when the job has a callback URL (the claim's; before or without one, the last
     * claim's). The envelope names the claim's VALET task and worker.
     */
    void send(String jobId, Claim claim, CallbackBody body) {
        String url = claim != null ? claim.callbackUrl() : lastUrl;
        if (url == null || url.isBlank()) {
            return;
        }
        lastUrl = url;
        String eventId = JobWorkflowImpl.eventId();
        CallbackEnvelope envelope = new CallbackEnvelope(
                jobId,
                claim == null ? null : claim.valetTaskId(),
                claim == null ? null : claim.workerId(),
                eventId,
                now(),
                body);
        outbox.add(new Callback(jobId, url, eventId, envelope.toMap()));
        if (sender == null) {
            // detached: cancelling the job must not cancel the delivery of its callbacks
            Workflow.newDetachedCancellationScope(() -> sender = Async.procedure(this::sendAll))
                    .run();
        }
    }

    private void sendAll() {
        CallbackDelivery delivery = new CallbackDelivery(settings);
        while (true) {
            Workflow.await(() -> !outbox.isEmpty() || closed);
            if (outbox.isEmpty()) {
                return;
            }
            delivery.deliver(outbox.peek());
            outbox.poll();
        }
    }

    /** Waits until every queued callback was delivered or given up. */
    void flush() {
        if (sender == null) {
            return;
        }
        closed = true;
        Workflow.newDetachedCancellationScope(() -> sender.get()).run();
    }

    /** The workflow's current time, ISO-8601, as callbacks write their times. */
    static String now() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
    }
}
