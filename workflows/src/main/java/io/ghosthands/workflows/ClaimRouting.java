package io.ghosthands.workflows;

import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.JobRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Where a job is claimed (contract section 5, {@code worker_affinity}): a job with a target worker
 * is claimed on {@code gh-claims-<id>} (where only that worker polls), others on {@link
 * TaskQueues#SHARED_CLAIMS}; a draining worker stops polling its claim queues first. {@code strict}
 * waits for the target until the start deadline, {@code preferred} until the fallback time and then
 * goes to the shared pool, as does a preferred job's retry after its worker was lost. Workflow code
 * only.
 */
final class ClaimRouting {

    private static final Logger log = Workflow.getLogger(ClaimRouting.class);

    /** The job's target worker never came (strict affinity). */
    static final class WorkerUnavailable extends RuntimeException {
        WorkerUnavailable() {
            super("worker unavailable", null, false, false);
        }
    }

    private final JobRequest request;
    private final JobStoreActivities store;

    ClaimRouting(JobRequest request, JobStoreActivities store) {
        this.request = request;
        this.store = store;
    }

    /**
     * Claims the job where its routing says: the shared pool; its target worker only (strict: throws
     * {@link WorkerUnavailable} when that worker does not take it within the start deadline); or its
     * target worker first and the shared pool after the fallback time (preferred).
     */
    Claim claim() {
        ClaimRequest claimRequest = new ClaimRequest(request.jobId(), JobWorkflowImpl.eventId());
        String target = request.targetWorkerId();
        WorkerAffinity affinity = WorkerAffinity.of(request.workerAffinity());
        if (!affinity.claimsOnTarget(target)) {
            return ActivityStubs.claimer(TaskQueues.SHARED_CLAIMS, null).claim(claimRequest);
        }
        boolean strict = affinity == WorkerAffinity.STRICT;
        int seconds = strict ? request.startDeadlineSeconds() : request.preferredFallbackSeconds();
        try {
            return ActivityStubs.claimer(TaskQueues.claimsFor(target), Duration.ofSeconds(Math.max(1, seconds)))
                    .claim(claimRequest);
        } catch (ActivityFailure e) {
            if (!(e.getCause() instanceof TimeoutFailure)) {
                throw e;
            }
        }
        if (strict) {
            throw new WorkerUnavailable();
        }
        String message =
                "Worker " + target + " did not take the job within " + seconds + "s; running it on the shared pool";
        log.info("job {}: {}", request.jobId(), message);
        store.note(new JobNote(
                request.jobId(),
                JobWorkflowImpl.eventId(),
                "routing_fallback",
                message,
                Map.of("target_worker_id", target, "worker_affinity", affinity.code(), "fallback_seconds", seconds),
                null));
        return onPool();
    }

    /** Whether the job is aimed at a worker it may leave for the shared pool ({@code preferred}). */
    boolean preferredTarget() {
        String target = request.targetWorkerId();
        return WorkerAffinity.of(request.workerAffinity()) == WorkerAffinity.PREFERRED
                && WorkerAffinity.PREFERRED.claimsOnTarget(target);
    }

    /** The claim of a preferred job's retry after its worker was lost: on the shared pool. */
    Claim claimOnPoolAfterLoss() {
        String message = "Worker " + request.targetWorkerId() + " was lost; the retry runs on the shared pool";
        log.info("job {}: {}", request.jobId(), message);
        store.note(new JobNote(
                request.jobId(),
                JobWorkflowImpl.eventId(),
                "routing_fallback",
                message,
                Map.of(
                        "target_worker_id",
                        request.targetWorkerId(),
                        "worker_affinity",
                        WorkerAffinity.PREFERRED.code(),
                        "reason",
                        "worker_lost"),
                null));
        return onPool();
    }

    private Claim onPool() {
        return ActivityStubs.claimer(TaskQueues.SHARED_CLAIMS, null)
                .claim(new ClaimRequest(request.jobId(), JobWorkflowImpl.eventId()));
    }
}
