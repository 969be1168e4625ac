package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.CallbackOutboxStore;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.activities.store.Json;
import io.ghosthands.workflows.CallbackWorkflow;
import io.ghosthands.workflows.JobStatus;
import io.ghosthands.workflows.TaskQueues;
import io.ghosthands.workflows.WorkflowIds;
import io.ghosthands.workflows.payload.Callback;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The callbacks the API owes ({@code gh_callback_outbox}, migration V009): the {@code cancelled}
 * callback of a job cancelled before a worker claimed it, which no job workflow sends (a pending
 * job has none yet; a queued job's is ended unclaimed). {@link #oweCancelled} writes it in the
 * cancel's own transaction, so it is as durable as the cancel; {@link #relay} hands it to Temporal
 * as a {@link CallbackWorkflow}, which delivers it the way job workflows deliver theirs (signed,
 * retried with backoff, each attempt a job event). A callback whose relay failed (Temporal down, the
 * API stopped) is relayed by the {@link Dispatcher}'s sweep; a callback workflow id is never
 * reused, so a callback relayed twice is delivered once.
 */
@Component
public class CallbackOutbox {

    private static final Logger log = LoggerFactory.getLogger(CallbackOutbox.class);

    private final CallbackOutboxStore store;
    private final WorkflowClient temporal;

    public CallbackOutbox(DataSource dataSource, WorkflowClient temporal) {
        this.store = new CallbackOutboxStore(dataSource);
        this.temporal = temporal;
    }

    /**
     * Owes the {@code cancelled} callback of this just-cancelled job (its row as the cancel left it),
     * in the contract's callback shape, if it has a {@code callback_url}. Returns the callback's event
     * id, or null when there is nobody to call. Caller holds the cancel's transaction.
     */
    public UUID oweCancelled(JobRow row) {
        return owe(row, JobStatus.CANCELLED.value(), body -> {
            if (row.errorCode() != null) {
                body.put("error_code", row.errorCode());
            }
            // as the job workflow words it: who cancelled, when a code says so
            body.put(
                    "error_message",
                    row.errorCode() != null && row.statusMessage() != null ? row.statusMessage() : "Job cancelled");
        });
    }

    /**
     * Owes the {@code failed} callback of a job the API itself failed (its workflow was gone, so no
     * workflow will report it), from its row as the failure left it. Returns the callback's event id,
     * or null when there is nobody to call. Caller holds the failure's transaction.
     */
    public UUID oweFailed(JobRow row) {
        return owe(row, JobStatus.FAILED.value(), body -> {
            body.put("error_code", row.errorCode());
            body.put("error_message", row.statusMessage());
            Object details = row.errorDetails();
            if (details != null) {
                body.put("error_details", Json.readMap(details.toString()));
            }
            Map<String, Object> cost = new LinkedHashMap<>();
            cost.put("total_cost_usd", 0.0);
            cost.put("action_count", row.actionCount() == null ? 0 : row.actionCount());
            cost.put("total_tokens", 0);
            body.put("cost", cost);
        });
    }

    /**
     * Writes the owed callback of {@code status} for the job's row: the contract's envelope (job,
     * VALET task, worker, event id, time) completed by {@code fields}; null when the job has no
     * {@code callback_url}.
     */
    private UUID owe(JobRow row, String status, Consumer<Map<String, Object>> fields) {
        String url = row.callbackUrl();
        if (url == null || url.isBlank()) {
            return null;
        }
        UUID eventId = UUID.randomUUID();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", row.id());
        body.put("valet_task_id", row.valetTaskId());
        body.put("status", status);
        body.put("worker_id", row.workerId());
        body.put("event_id", eventId.toString());
        body.put("timestamp", Instant.now().toString());
        body.put("completed_at", row.completedAt());
        fields.accept(body);
        store.owe(eventId, row.id(), url, Json.write(body));
        return eventId;
    }

    /**
     * Starts the callback's workflow and marks it relayed. Returns false, leaving it owed for the
     * sweep, when Temporal could not be reached.
     */
    public boolean relay(UUID eventId) {
        CallbackOutboxStore.OwedCallback owed = store.unrelayed(eventId).orElse(null);
        if (owed == null) {
            return true; // relayed already
        }
        Callback callback =
                new Callback(owed.jobId(), owed.callbackUrl(), eventId.toString(), Json.readMap(owed.bodyJson()));
        try {
            temporal.newUntypedWorkflowStub(
                            CallbackWorkflow.TYPE,
                            WorkflowOptions.newBuilder()
                                    .setWorkflowId(WorkflowIds.forCallback(eventId))
                                    .setTaskQueue(TaskQueues.SHARED)
                                    // a second start, even after the first delivered, must not deliver again
                                    .setWorkflowIdReusePolicy(
                                            WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                                    .build())
                    .start(callback);
        } catch (WorkflowExecutionAlreadyStarted e) {
            // relayed before (by another node, or before a crash that lost the mark)
        } catch (RuntimeException e) {
            log.warn(
                    "callback {} of job {}: could not start its delivery, will retry: {}",
                    eventId,
                    owed.jobId(),
                    e.toString());
            return false;
        }
        store.markRelayed(eventId);
        return true;
    }

    /** Relays the callbacks owed for over {@code olderThanSeconds}; stops at the first Temporal failure. */
    public void relayOwed(int olderThanSeconds) {
        for (UUID eventId : store.owedFor(olderThanSeconds)) {
            if (!relay(eventId)) {
                return;
            }
        }
    }
}
