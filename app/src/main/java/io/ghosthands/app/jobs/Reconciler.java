package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.JobRow;
import io.ghosthands.activities.store.JobTransitions;
import io.ghosthands.activities.store.Json;
import io.ghosthands.app.config.GhProperties;
import io.ghosthands.workflows.ErrorCode;
import io.ghosthands.workflows.JobStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the mirror agree with Temporal again after an outage that lost workflows (the embedded dev
 * server keeps them in memory only; a restart forgets every one). Each round it takes the queued,
 * running and paused jobs whose row has been quiet for {@code gh.api.reconcile-after-seconds} and
 * asks Temporal about their workflow. One that is gone is
 * <ul>
 *   <li>started again when the job was queued (waiting for its claim, or for its
 *       {@code scheduled_at}, which the new workflow waits for again): no worker had it, nothing
 *       was done;
 *   <li>failed with {@code workflow_lost}, a {@code failed} callback owed through the
 *       {@link CallbackOutbox}, when a worker held it (running or paused): its page may have been
 *       half filled or its application sent, so it is never run again on its own (a recorded
 *       submission is named in {@code error_details}); {@code POST /jobs/{id}/retry} runs it again
 *       if someone decides so.
 * </ul>
 * While Temporal cannot be reached nothing is decided. Several API nodes may run it: the failure is
 * one guarded transaction per job, and starting a workflow that runs is a no-op.
 */
@Component
@ConditionalOnProperty(prefix = "gh.api", name = "enabled", havingValue = "true", matchIfMissing = true)
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    // Temporal is asked about at most BATCH jobs a round, out of the SCAN quietest rows; a job whose
    // workflow was seen alive is asked about again only after reconcile-after-seconds
    private static final int BATCH = 50;
    private static final int SCAN = 2000;
    private final Map<UUID, Long> checkedAt = new ConcurrentHashMap<>();

    private final JobRepository jobs;
    private final WorkflowStarter starter;
    private final WorkflowLiveness liveness;
    private final CallbackOutbox callbacks;
    private final TransactionTemplate tx;
    private final GhProperties properties;

    public Reconciler(
            JobRepository jobs,
            WorkflowStarter starter,
            WorkflowLiveness liveness,
            CallbackOutbox callbacks,
            TransactionTemplate tx,
            GhProperties properties) {
        this.jobs = jobs;
        this.starter = starter;
        this.liveness = liveness;
        this.callbacks = callbacks;
        this.tx = tx;
        this.properties = properties;
    }

    /** What one round did. */
    public record Round(int checked, int redispatched, int failed) {}

    @Scheduled(fixedDelayString = "${gh.api.reconcile-interval-ms:15000}", initialDelay = 5000)
    public void scheduled() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            log.warn("reconcile round failed: {}", e.toString());
        }
    }

    /** One round; see the class comment. */
    public Round reconcile() {
        int after = properties.getApi().getReconcileAfterSeconds();
        if (after <= 0) {
            return new Round(0, 0, 0);
        }
        int checked = 0;
        int redispatched = 0;
        boolean rechecked = false;
        int failed = 0;
        long now = System.nanoTime();
        long recheckNanos = TimeUnit.SECONDS.toNanos(after);
        checkedAt.values().removeIf(at -> now - at > 10 * recheckNanos);
        for (JobRow row : jobs.quiet(after, SCAN)) {
            if (checked >= BATCH) {
                break; // the rest next round
            }
            UUID id = row.uuid();
            Long last = checkedAt.get(id);
            if (last != null && now - last < recheckNanos) {
                continue; // a live workflow seen lately: a long wait (a busy fleet, a paused job) is no sign of loss
            }
            WorkflowLiveness.Liveness state = liveness.liveness(id);
            if (state == WorkflowLiveness.Liveness.LIVE) {
                checkedAt.put(id, now);
            }
            if (state == WorkflowLiveness.Liveness.UNREACHABLE) {
                break; // Temporal is out of reach: decide nothing until it is back
            }
            checked++;
            if (state == WorkflowLiveness.Liveness.LIVE) {
                continue;
            }
            String status = row.statusValue();
            if (row.status() == JobStatus.QUEUED) {
                log.info("job {}: its workflow is gone while queued; starting it again", id);
                if (!rechecked) {
                    // the Temporal that lost the workflow may have restarted and forgotten the search attributes
                    starter.recheckSearchAttributes();
                    rechecked = true;
                }
                // pending first: the new run must own the row (the old run id would refuse its claim), and
                // if Temporal fails the start the dispatcher's sweep starts it later
                if (jobs.undispatch(id, row.runId()) && starter.dispatch(id, WorkflowStarter.Dispatch.of(row))) {
                    redispatched++;
                }
            } else if (failOrphan(id, status, row)) {
                failed++;
            }
        }
        if (redispatched + failed > 0) {
            log.warn(
                    "reconciled jobs whose workflow was gone: {} started again, {} failed (workflow_lost)",
                    redispatched,
                    failed);
        }
        return new Round(checked, redispatched, failed);
    }

    private boolean failOrphan(UUID id, String status, JobRow row) {
        boolean submitted = row.submittedAt() != null;
        String message = "The job's workflow was lost (Temporal restarted or lost it) while the job was " + status
                + (submitted
                        ? "; its application was submitted at " + row.submittedAt() + " and is not sent again"
                        : "; it is not run again on its own (retry it to start over)");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "workflow_gone");
        details.put("message", message);
        details.put("status_when_lost", status);
        details.put("worker_id", row.workerId());
        details.put("retryable", true);
        if (submitted) {
            details.put("submitted_at", row.submittedAt());
            details.put("submission_confirmed", false);
        }
        UUID[] owed = new UUID[1];
        JobTransitions.Transition t = tx.execute(s -> {
            JobTransitions.Transition done = jobs.failOrphan(
                    id, status, ErrorCode.WORKFLOW_LOST.code(), message, Json.write(details), "reconciler");
            if (done.done()) {
                owed[0] = callbacks.oweFailed(done.row());
            }
            return done;
        });
        if (!t.done()) {
            return false; // it moved meanwhile (its workflow came back, another node did it)
        }
        log.warn("job {}: {}", id, message);
        if (owed[0] != null) {
            callbacks.relay(owed[0]); // else the dispatcher's sweep relays it
        }
        return true;
    }

    /** Jobs of {@link JobRepository#quiet} whose workflow is gone, for the alerts (at most {@code limit}). */
    public List<String> withoutWorkflow(int olderThanSeconds, int limit) {
        List<String> gone = new ArrayList<>();
        for (JobRow row : jobs.quiet(olderThanSeconds, limit)) {
            WorkflowLiveness.Liveness state = liveness.liveness(row.uuid());
            if (state == WorkflowLiveness.Liveness.UNREACHABLE) {
                break;
            }
            if (state == WorkflowLiveness.Liveness.GONE) {
                gone.add(row.id());
            }
        }
        return gone;
    }
}
