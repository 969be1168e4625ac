package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.app.config.GhProperties;
import io.ghosthands.workflows.JobSearchAttributes;
import io.ghosthands.workflows.JobStatus;
import io.ghosthands.workflows.JobWorkflow;
import io.ghosthands.workflows.TaskQueues;
import io.ghosthands.workflows.WorkerAffinity;
import io.ghosthands.workflows.WorkflowIds;
import io.ghosthands.workflows.payload.JobRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.common.Priority;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts jobs' workflows on the shared queue and mirrors each start into its row ({@code queued},
 * run id, {@code job_dispatched}): at once for a retry or a sweep ({@link #dispatch}), or off the
 * request thread for a new job ({@link #dispatchSoon}), whose starts are marked in batches. A start
 * Temporal refuses leaves the row {@code pending} for the {@link Dispatcher}'s sweep.
 */
@Component
public class WorkflowStarter {

    private static final Logger log = LoggerFactory.getLogger(WorkflowStarter.class);

    private final JobRepository jobs;
    private final WorkflowClient temporal;
    private final GhProperties properties;
    private final TemporalSearchAttributes searchAttributes;

    // Starting workflows off the request thread: a handful of threads keeps Temporal busy without
    // flooding it; the queue absorbs bursts, and anything beyond it waits for the sweep.
    private final ThreadPoolExecutor dispatchers =
            new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "job-dispatch");
                t.setDaemon(true);
                return t;
            });

    public WorkflowStarter(
            JobRepository jobs,
            WorkflowClient temporal,
            GhProperties properties,
            TemporalSearchAttributes searchAttributes) {
        this.jobs = jobs;
        this.temporal = temporal;
        this.properties = properties;
        this.searchAttributes = searchAttributes;
    }

    /** What starting a job's workflow needs, from a new job or a stored row. */
    public record Dispatch(
            String jobType,
            String targetUrl,
            String targetWorkerId,
            int timeoutSeconds,
            Instant scheduledAt,
            int maxRetries,
            int priority,
            String workerAffinity,
            String valetTaskId,
            String userId) {

        static Dispatch of(NewJob j) {
            return new Dispatch(
                    j.jobType(),
                    j.targetUrl(),
                    j.targetWorkerId(),
                    j.timeoutSeconds(),
                    j.scheduledAt() == null ? null : j.scheduledAt().toInstant(),
                    j.maxRetries(),
                    j.priority(),
                    j.workerAffinity(),
                    j.valetTaskId(),
                    j.userId() == null ? null : j.userId().toString());
        }

        static Dispatch of(JobRow row) {
            return new Dispatch(
                    row.jobType(),
                    row.targetUrl(),
                    row.targetWorkerId(),
                    row.timeoutSeconds(),
                    row.scheduledAt() == null ? null : Instant.parse(row.scheduledAt()),
                    row.maxRetries(),
                    row.priority(),
                    row.workerAffinity(),
                    row.valetTaskId(),
                    row.userId());
        }
    }

    /** Where a job will run, for its status message. */
    static String routing(Dispatch job) {
        String affinity = WorkerAffinity.codeOf(job.workerAffinity());
        if (job.targetWorkerId() == null || job.targetWorkerId().isBlank() || affinity.equals("any")) {
            return "the shared pool";
        }
        return "worker " + job.targetWorkerId() + (affinity.equals("strict") ? " only" : " (else the shared pool)");
    }

    /**
     * Starts the job's workflow on a dispatcher thread. If the dispatchers are saturated (or Temporal
     * is down) the job stays pending and the {@link Dispatcher} sweep starts it.
     */
    void dispatchSoon(UUID id, Dispatch job) {
        try {
            dispatchers.execute(() -> {
                JobInserts.Started started = start(id, job);
                if (started != null) {
                    startedQueue.add(started);
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("job {}: dispatch queue full, leaving it to the sweep", id);
        }
    }

    /** Lets queued dispatches finish (bounded) when the API stops. */
    @PreDestroy
    void stopDispatchers() throws InterruptedException {
        dispatchers.shutdown();
        dispatchers.awaitTermination(10, TimeUnit.SECONDS);
        marker.interrupt();
        marker.join(5_000);
        List<JobInserts.Started> rest = new ArrayList<>();
        startedQueue.drainTo(rest);
        if (!rest.isEmpty()) {
            markQuietly(rest);
        }
    }

    /**
     * Checks again, now, that the server knows the jobs' search attributes (registering them where
     * it can): a Temporal that restarted may have forgotten them, and the SDK's in-process server,
     * refusing a start for unknown attributes, keeps the workflow id of that start without its run
     * (every later start of that job would then be "already started" and lost).
     */
    public void recheckSearchAttributes() {
        searchAttributes.recheck();
    }

    /**
     * Starts the job's workflow on its task queue (a workflow that already runs counts as started) and
     * marks the row queued. Returns false, leaving the row pending, when Temporal could not be reached.
     */
    public boolean dispatch(UUID id, Dispatch job) {
        JobInserts.Started started = start(id, job);
        if (started == null) {
            return false;
        }
        recordStarted(List.of(started));
        return true;
    }

    // every workflow runs on the shared queue: its code only orchestrates, and must run even when a
    // target worker never comes (to fall back or expire); the claim goes to the target's queue
    private static final String WORKFLOW_QUEUE = TaskQueues.SHARED;

    /** Starts the job's workflow; returns its run, or null when Temporal could not be reached. */
    private JobInserts.Started start(UUID id, Dispatch job) {
        boolean searchable = searchAttributes.available();
        try {
            return start(id, job, searchable);
        } catch (WorkflowServiceException e) {
            if (!searchable || !refusedSearchAttributes(e)) {
                log.warn("job {}: could not start its workflow, will retry: {}", id, e.toString());
                return null;
            }
            searchAttributes.refused(e.getCause().getMessage());
            try {
                return start(id, job, false);
            } catch (RuntimeException again) {
                log.warn("job {}: could not start its workflow, will retry: {}", id, again.toString());
                return null;
            }
        } catch (RuntimeException e) {
            log.warn("job {}: could not start its workflow, will retry: {}", id, e.toString());
            return null;
        }
    }

    /** The server's answer to a start with search attributes it does not know. */
    private static boolean refusedSearchAttributes(WorkflowServiceException e) {
        return e.getCause() instanceof StatusRuntimeException s
                && s.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
                && String.valueOf(s.getStatus().getDescription())
                        .toLowerCase(Locale.ROOT)
                        .contains("search attribute");
    }

    /** Starts the job's workflow (a workflow that already runs counts as started); returns its run. */
    private JobInserts.Started start(UUID id, Dispatch job, boolean searchable) {
        String runId;
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.forJob(id))
                .setTaskQueue(WORKFLOW_QUEUE)
                // Temporal's priority keys run 1 (first) upward, as ours do
                .setPriority(
                        Priority.newBuilder().setPriorityKey(job.priority()).build());
        if (searchable) {
            options.setTypedSearchAttributes(JobSearchAttributes.atStart(
                    job.jobType(), JobStatus.QUEUED.value(), job.targetWorkerId(), job.valetTaskId(), job.userId()));
        }
        try {
            // untyped: the same start as through the JobWorkflow interface, without making a proxy per job
            WorkflowExecution execution = temporal.newUntypedWorkflowStub(JobWorkflow.TYPE, options.build())
                    .start(new JobRequest(
                            id.toString(),
                            job.jobType(),
                            job.targetUrl(),
                            job.targetWorkerId(),
                            job.timeoutSeconds(),
                            job.scheduledAt() == null ? 0 : job.scheduledAt().toEpochMilli(),
                            job.maxRetries(),
                            properties.getJobs().getRetryBackoffSeconds(),
                            WorkerAffinity.codeOf(job.workerAffinity()),
                            properties.getJobs().getPreferredFallbackSeconds(),
                            properties.getJobs().getStartDeadlineSeconds()));
            runId = execution.getRunId();
        } catch (WorkflowExecutionAlreadyStarted e) {
            runId = e.getExecution().getRunId();
        }
        return new JobInserts.Started(id, runId, routing(job));
    }

    /**
     * Mirrors started workflows into their rows (queued, run id, {@code job_dispatched}); ends the
     * workflow of any job that ended before its workflow started.
     */
    private void recordStarted(List<JobInserts.Started> started) {
        Map<UUID, String> endedFirst = jobs.markDispatched(started, WORKFLOW_QUEUE);
        for (JobInserts.Started s : started) {
            String endedAs = endedFirst.get(s.id());
            if (endedAs != null) {
                try {
                    temporal.newUntypedWorkflowStub(
                                    WorkflowIds.forJob(s.id()), Optional.of(s.runId()), Optional.empty())
                            .terminate("job " + endedAs + " before dispatch");
                } catch (RuntimeException e) {
                    log.debug("job {}: terminate after late dispatch: {}", s.id(), e.toString());
                }
            }
        }
    }

    /**
     * Started workflows waiting to be mirrored. Under load many jobs start while one batch is written,
     * so the next write takes them all: one statement and one commit for the lot instead of a
     * transaction per job. If the write fails the rows stay pending and the sweep starts them again (a
     * no-op for Temporal) and marks them.
     */
    private final BlockingQueue<JobInserts.Started> startedQueue = new LinkedBlockingQueue<>();

    private static final int MARK_BATCH = 256;

    /**
     * How long the marker gathers started workflows before it writes them. The mark is only the
     * mirror of a start that already happened (the job can be claimed and run meanwhile), so a few
     * milliseconds cost nobody anything, while a statement for 20 jobs costs PostgreSQL little more
     * than one for 2.
     */
    static final long MARK_LINGER_MS = 10;

    private final Thread marker = new Thread(this::markLoop, "job-dispatch-mark");

    @PostConstruct
    void startMarker() {
        marker.setDaemon(true);
        marker.start();
    }

    private void markLoop() {
        List<JobInserts.Started> batch = new ArrayList<>(MARK_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(startedQueue.take());
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MARK_LINGER_MS);
                while (batch.size() < MARK_BATCH) {
                    startedQueue.drainTo(batch, MARK_BATCH - batch.size());
                    long left = until - System.nanoTime();
                    if (batch.size() >= MARK_BATCH || left <= 0) {
                        break;
                    }
                    JobInserts.Started next = startedQueue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
            } catch (InterruptedException e) {
                startedQueue.addAll(batch); // stopDispatchers() marks what is left
                return;
            }
            markQuietly(batch);
            batch.clear();
        }
    }

    private void markQuietly(List<JobInserts.Started> batch) {
        try {
            recordStarted(batch);
        } catch (RuntimeException e) {
            log.warn("{} started job(s) not marked queued, the sweep will: {}", batch.size(), e.toString());
        }
    }
}
