package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.ArtifactReads;
import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.activities.store.JobReads;
import io.ghosthands.activities.store.JobRef;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.activities.store.JobTransitions;
import io.ghosthands.activities.store.Json;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.activities.store.WorkerRegistryStore;
import io.ghosthands.workflows.ErrorCode;
import io.ghosthands.workflows.JobStatus;
import io.ghosthands.workflows.JobWorkflow;
import io.ghosthands.workflows.WorkflowIds;
import io.ghosthands.workflows.payload.HumanAction;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates jobs: the row and its {@code job_created} event in one transaction, then the job's
 * workflow on its task queue. If Temporal cannot be reached the row stays {@code pending} and the
 * {@link Dispatcher} starts it later, so an accepted job is never lost.
 */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobRepository jobs;
    private final WorkflowClient temporal;
    private final TransactionTemplate tx;
    private final JobWriter writer;
    private final CallbackOutbox outbox;
    private final WorkflowStarter starter;
    private final WorkflowLiveness liveness;
    private final ArtifactReads artifacts;
    private final WorkerRegistryStore registry;

    public JobService(
            JobRepository jobs,
            JobWriter writer,
            CallbackOutbox outbox,
            WorkflowClient temporal,
            TransactionTemplate tx,
            WorkflowStarter starter,
            WorkflowLiveness liveness,
            DataSource dataSource) {
        this.jobs = jobs;
        this.writer = writer;
        this.outbox = outbox;
        this.temporal = temporal;
        this.tx = tx;
        this.starter = starter;
        this.liveness = liveness;
        this.artifacts = new ArtifactReads(dataSource);
        this.registry = new WorkerRegistryStore(dataSource);
    }

    /** The job's row, or empty. */
    public Optional<JobRow> find(UUID id) {
        return jobs.find(id);
    }

    /** One page of jobs as {@code GET /jobs} filters and sorts them. */
    public JobReads.Page list(JobReads.JobFilter filter) {
        return jobs.list(filter);
    }

    /** One page of the job's events, oldest first. */
    public JobReads.Page events(UUID jobId, int limit, int offset) {
        return jobs.events(jobId, limit, offset);
    }

    /** A file a job produced (a screenshot), or empty. */
    public Optional<ArtifactReads.Artifact> artifact(UUID id) {
        return artifacts.find(id);
    }

    /** What a create returns. */
    public record Created(UUID id, String status, String createdAt) {}

    /**
     * Writes the job (durably: once this returns, the job cannot be lost) and hands it to the
     * dispatchers, which start its workflow within moments; returns without waiting for Temporal, so
     * a slow or unreachable Temporal never slows job creation. Throws {@link DuplicateJobException} on
     * a repeated idempotency key, or when the job is exclusive to its VALET task and another job holds
     * that task (one application per task; decided in the database, so concurrent duplicates make
     * exactly one job).
     */
    public Created create(NewJob job) {
        for (int attempt = 0; ; attempt++) {
            UUID id = UUID.randomUUID();
            Optional<OffsetDateTime> createdAt =
                    writer.write(new JobInserts.Insert(id, job, UUID.randomUUID(), createdMetadata(job)));
            if (createdAt.isPresent()) {
                starter.dispatchSoon(id, WorkflowStarter.Dispatch.of(job));
                return new Created(
                        id,
                        JobStatus.PENDING.value(),
                        createdAt.get().toInstant().toString());
            }
            if (job.idempotencyKey() == null && !job.exclusiveValetTask()) {
                throw new IllegalStateException("job " + id + " was not written");
            }
            Optional<JobRef> existing =
                    job.idempotencyKey() == null ? Optional.empty() : jobs.findByIdempotencyKey(job.idempotencyKey());
            if (existing.isPresent()) {
                throw duplicateOf(existing.get());
            }
            Optional<JobRef> holder =
                    job.exclusiveValetTask() ? jobs.valetTaskHolder(job.valetTaskId()) : Optional.empty();
            if (holder.isPresent()) {
                throw new DuplicateJobException(
                        holder.get().id(), holder.get().status(), DuplicateJobException.Reason.VALET_TASK);
            }
            // what stood in the way is gone again (a job deleted, or one skipped in the same statement
            // for a reason of its own): write once more
            if (attempt == 2) {
                throw new IllegalStateException("job for "
                        + (job.idempotencyKey() != null
                                ? "idempotency key " + job.idempotencyKey()
                                : "VALET task " + job.valetTaskId())
                        + " keeps being refused");
            }
        }
    }

    private static String createdMetadata(NewJob job) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("job_type", job.jobType());
        meta.put("target_worker_id", job.targetWorkerId());
        meta.put("created_by", job.createdBy());
        return Json.write(meta);
    }

    private static DuplicateJobException duplicateOf(JobRef existing) {
        return new DuplicateJobException(existing.id(), existing.status());
    }

    /** Creates every job or none (one transaction), then dispatches them. */
    public List<Created> createBatch(List<NewJob> batch) {
        List<JobInserts.Insert> rows = new ArrayList<>();
        for (NewJob job : batch) {
            rows.add(new JobInserts.Insert(UUID.randomUUID(), job, UUID.randomUUID(), createdMetadata(job)));
        }
        // one statement in a transaction of its own: a job whose key is taken rolls back the others
        List<Created> created = tx.execute(status -> {
            Map<UUID, OffsetDateTime> written = jobs.insertAll(rows);
            List<Created> out = new ArrayList<>();
            for (JobInserts.Insert row : rows) {
                OffsetDateTime at = written.get(row.id());
                if (at == null) {
                    Optional<JobRef> existing =
                            jobs.findByIdempotencyKey(row.job().idempotencyKey());
                    throw existing.map(JobService::duplicateOf)
                            .orElseThrow(() -> new IllegalStateException("job " + row.id() + " was not written"));
                }
                out.add(new Created(
                        row.id(), JobStatus.PENDING.value(), at.toInstant().toString()));
            }
            return out;
        });
        for (int i = 0; i < rows.size(); i++) {
            starter.dispatchSoon(rows.get(i).id(), WorkflowStarter.Dispatch.of(batch.get(i)));
        }
        return created;
    }

    /**
     * Cancels a job: the row at once, then the workflow (which stops the browser and closes the
     * context). Returns the cancelled row; {@link JobStateException} if the job may not be cancelled.
     *
     * <p>The job's {@code cancelled} callback goes out exactly once, by whoever reports on the job at
     * that moment, which the row (locked by the cancel) tells: a job a worker claimed (running, paused)
     * is reported by its workflow, which is cancelled and sends it; a job no worker claimed (pending:
     * no workflow yet; queued: its workflow is ended, unclaimed) is reported by the API, through the
     * {@link CallbackOutbox} written in the cancel's transaction.
     */
    public JobRow cancel(UUID id, String actor) {
        return cancel(id, actor, null);
    }

    /**
     * Resumes a job paused for a human (the human's action goes to its workflow, encrypted; never to
     * the database or the logs): row to {@code running}, event {@code hitl_resumed}, then the resume
     * signal. Only a live workflow can act on it: without one the row stays paused
     * ({@link NoLiveWorkflowException}; the reconciler fails it), since "running" would be a lie. A
     * signal that fails after all puts the row back as it was. {@link JobStateException} when the job
     * does not exist or is not paused.
     *
     * @param resolution a free-text resolution for the event, or null
     */
    public void resumeByHuman(UUID id, HumanAction human, String resolution) {
        JobRow job = jobs.find(id).orElseThrow(() -> new JobStateException(JobStateException.Kind.NOT_FOUND, null));
        String status = job.statusValue();
        if (!JobStatus.PAUSED.value().equals(status)) {
            throw new JobStateException(JobStateException.Kind.NOT_PAUSED, status);
        }
        liveness.requireLiveWorkflow(id, status);
        if (!jobs.markResumedByHuman(id)) {
            throw new JobStateException(JobStateException.Kind.NOT_PAUSED, null);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resolution_type", human.resolutionType());
        meta.put("resolved_by", human.resolvedBy());
        if (resolution != null) {
            meta.put("resolution", resolution);
        }
        jobs.event(new JobEvent(
                UUID.randomUUID().toString(),
                id.toString(),
                "hitl_resumed",
                JobStatus.PAUSED.value(),
                JobStatus.RUNNING.value(),
                "Resumed by a human",
                meta,
                "api"));
        try {
            temporal.newUntypedWorkflowStub(WorkflowIds.forJob(id)).signal(JobWorkflow.RESUME_SIGNAL, human);
        } catch (RuntimeException e) {
            // the workflow went away (or Temporal did) since it was found live: put the row back as it was
            jobs.undoResume(id, job.pausedAt(), job.statusMessage());
            jobs.event(new JobEvent(
                    UUID.randomUUID().toString(),
                    id.toString(),
                    "hitl_resume_undone",
                    JobStatus.RUNNING.value(),
                    JobStatus.PAUSED.value(),
                    "The resume did not reach the job's workflow",
                    Map.of(),
                    "api"));
            boolean gone = WorkflowLiveness.notFound(e);
            throw new NoLiveWorkflowException(
                    gone,
                    status,
                    gone
                            ? "The job's workflow is gone; the job is left paused and the reconciler fails it"
                            : "Temporal cannot be reached; the job is left paused, try again later");
        }
    }

    /**
     * Cancels a job paused for a human because the human said so: the row ends {@code cancelled} with
     * {@code error_code = human_cancelled} at once, and the workflow is told through its resume signal,
     * so it closes the page and sends the {@code cancelled} callback. Returns the row.
     */
    public JobRow cancelByHuman(UUID id, HumanAction action) {
        return cancel(id, "human", action);
    }

    /** A cancel as committed, and the callback it owes when no workflow will send one. */
    private record Cancelled(JobTransitions.Transition transition, UUID owedCallback) {}

    private JobRow cancel(UUID id, String actor, HumanAction human) {
        // a claimed job is stopped by its workflow: without one, cancelling the row would only hide a
        // browser that may still run (or a job the reconciler must fail and report); leave it as it is
        String before = jobs.status(id).map(JobStatus::value).orElse(null);
        if (before != null && claimed(before)) {
            liveness.requireLiveWorkflow(id, before);
        }
        Cancelled c = tx.execute(status -> {
            JobTransitions.Transition t = jobs.cancel(id, actor);
            if (!t.done()) {
                return new Cancelled(t, null);
            }
            if (human != null) {
                jobs.setErrorCode(id, ErrorCode.HUMAN_CANCELLED.code(), "Cancelled by a human");
                t = new JobTransitions.Transition(
                        true,
                        t.fromStatus(),
                        t.row()
                                .with("error_code", ErrorCode.HUMAN_CANCELLED.code())
                                .with("status_message", "Cancelled by a human"));
            }
            return new Cancelled(t, claimed(t.fromStatus()) ? null : outbox.oweCancelled(t.row()));
        });
        JobTransitions.Transition t = c.transition();
        if (t.fromStatus() == null) {
            throw new JobStateException(JobStateException.Kind.NOT_FOUND, null);
        }
        if (!t.done()) {
            throw new JobStateException(JobStateException.Kind.NOT_CANCELLABLE, t.fromStatus());
        }
        var workflow = temporal.newUntypedWorkflowStub(WorkflowIds.forJob(id));
        try {
            if (!claimed(t.fromStatus())) {
                // not claimed: nothing to clean up, and its claim queue may have no worker at all (a target
                // that never came); ended at once, it can report nothing: the outbox reports it
                workflow.terminate("cancelled before it started");
            } else if (human != null && t.fromStatus().equals(JobStatus.PAUSED.value())) {
                // the workflow waits for exactly this signal: it closes the page and reports human_cancelled
                signalOrCancel(id, workflow, human);
            } else {
                // running or paused: let the workflow stop its browser step, close the context and report
                workflow.cancel();
            }
        } catch (RuntimeException e) {
            // no workflow yet (pending) or it already ended: the row is what counts
            log.debug("job {}: workflow cancel: {}", id, e.toString());
        }
        if (c.owedCallback() != null) {
            outbox.relay(c.owedCallback()); // else the sweep relays it
        }
        return t.row();
    }

    /** Whether a worker holds the job (so its workflow reports on it), by the status it had. */
    private static boolean claimed(String status) {
        return status.equals(JobStatus.RUNNING.value()) || status.equals(JobStatus.PAUSED.value());
    }

    private void signalOrCancel(UUID id, WorkflowStub workflow, HumanAction human) {
        try {
            workflow.signal(JobWorkflow.RESUME_SIGNAL, human);
        } catch (RuntimeException e) {
            log.debug("job {}: human cancel signal: {}", id, e.toString());
            workflow.cancel();
        }
    }

    /**
     * Retries a failed, cancelled or expired job under the same id: a new workflow run from a clean
     * page. Returns the reset row; {@link JobStateException} if the job may not be retried.
     */
    public JobRow retry(UUID id, String actor) {
        JobTransitions.Transition t = tx.execute(status -> jobs.retry(id, actor));
        if (t.fromStatus() == null) {
            throw new JobStateException(JobStateException.Kind.NOT_FOUND, null);
        }
        if (!t.done()) {
            throw new JobStateException(JobStateException.Kind.NOT_RETRYABLE, t.fromStatus());
        }
        try {
            // a previous run still winding down (e.g. finishing its cancellation) must not keep the id
            temporal.newUntypedWorkflowStub(WorkflowIds.forJob(id)).terminate("superseded by a retry");
        } catch (RuntimeException e) {
            log.debug("job {}: no previous run to terminate: {}", id, e.toString());
        }
        JobRow row = t.row();
        boolean queued = starter.dispatch(id, WorkflowStarter.Dispatch.of(row));
        return row.with("status", (queued ? JobStatus.QUEUED : JobStatus.PENDING).value());
    }

    /** The workers a deregistration marked offline, and the jobs it cancelled. */
    public record Deregistered(List<String> workers, List<String> cancelledJobs) {}

    /**
     * Marks the workers named {@code worker} (or aimed at by it) offline and, with
     * {@code cancelActiveJobs}, cancels the active jobs on or aimed at them.
     */
    public Deregistered deregister(String worker, boolean cancelActiveJobs) {
        List<String> workers = registry.deregister(worker);
        List<String> cancelled = new ArrayList<>();
        if (cancelActiveJobs) {
            for (UUID id : jobs.activeOnWorker(worker)) {
                try {
                    cancel(id, "deregister");
                    cancelled.add(id.toString());
                } catch (RuntimeException e) {
                    // it ended meanwhile
                }
            }
        }
        return new Deregistered(workers, cancelled);
    }

    /** Whether the job's workflow runs, as far as Temporal can tell. */
    public WorkflowLiveness.Liveness liveness(UUID id) {
        return liveness.liveness(id);
    }

    /** Throws {@link NoLiveWorkflowException} unless the job's workflow runs. */
    public void requireLiveWorkflow(UUID id, String currentStatus) {
        liveness.requireLiveWorkflow(id, currentStatus);
    }
}
