package io.ghosthands.app.jobs;

import io.ghosthands.workflows.JobWorkflow;
import io.ghosthands.workflows.TaskQueues;
import io.ghosthands.workflows.WorkflowIds;
import io.ghosthands.workflows.payload.JobRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.ghosthands.workflows.JobSearchAttributes;
import io.ghosthands.workflows.JobStatus;
import io.temporal.common.Priority;
import io.ghosthands.app.config.GhProperties;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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

  private final GhProperties properties;
  private final TemporalSearchAttributes searchAttributes;

  // Starting workflows off the request thread: a handful of threads keeps Temporal busy without
  // flooding it; the queue absorbs bursts, and anything beyond it waits for the sweep.
  private final java.util.concurrent.ThreadPoolExecutor dispatchers =
      new java.util.concurrent.ThreadPoolExecutor(
          4, 4, 30, java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(10_000),
          r -> {
            Thread t = new Thread(r, "job-dispatch");
            t.setDaemon(true);
            return t;
          });

  public JobService(JobRepository jobs, JobWriter writer, CallbackOutbox outbox, WorkflowClient temporal,
      TransactionTemplate tx, GhProperties properties, TemporalSearchAttributes searchAttributes) {
    this.jobs = jobs;
    this.writer = writer;
    this.outbox = outbox;
    this.temporal = temporal;
    this.tx = tx;
    this.properties = properties;
    this.searchAttributes = searchAttributes;
  }

  /** What starting a job's workflow needs, from a new job or a stored row. */
  public record Dispatch(
      String jobType,
      String targetUrl,
      String targetWorkerId,
      int timeoutSeconds,
      java.time.Instant scheduledAt,
      int maxRetries,
      int priority,
      String workerAffinity,
      String valetTaskId,
      String userId) {

    static Dispatch of(NewJob j) {
      return new Dispatch(j.jobType(), j.targetUrl(), j.targetWorkerId(), j.timeoutSeconds(),
          j.scheduledAt() == null ? null : j.scheduledAt().toInstant(), j.maxRetries(), j.priority(),
          j.workerAffinity(), j.valetTaskId(), j.userId() == null ? null : j.userId().toString());
    }

    static Dispatch of(Map<String, Object> row) {
      Object scheduled = row.get("scheduled_at");
      return new Dispatch((String) row.get("job_type"), (String) row.get("target_url"),
          (String) row.get("target_worker_id"), ((Number) row.get("timeout_seconds")).intValue(),
          scheduled == null ? null : java.time.Instant.parse((String) scheduled),
          ((Number) row.get("max_retries")).intValue(), ((Number) row.get("priority")).intValue(),
          (String) row.get("worker_affinity"), (String) row.get("valet_task_id"),
          row.get("user_id") == null ? null : row.get("user_id").toString());
    }
  }

  /** Where a job will run, for its status message. */
  static String routing(Dispatch job) {
    String affinity = io.ghosthands.workflows.WorkerAffinity.codeOf(job.workerAffinity());
    if (job.targetWorkerId() == null || job.targetWorkerId().isBlank() || affinity.equals("any")) {
      return "the shared pool";
    }
    return "worker " + job.targetWorkerId() + (affinity.equals("strict") ? " only" : " (else the shared pool)");
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
          writer.write(new JobRepository.Insert(id, job, UUID.randomUUID(), createdMetadata(job)));
      if (createdAt.isPresent()) {
        dispatchSoon(id, Dispatch.of(job));
        return new Created(id, "pending", createdAt.get().toInstant().toString());
      }
      if (job.idempotencyKey() == null && !job.exclusiveValetTask()) {
        throw new IllegalStateException("job " + id + " was not written");
      }
      Optional<Map<String, Object>> existing =
          job.idempotencyKey() == null ? Optional.empty() : jobs.findByIdempotencyKey(job.idempotencyKey());
      if (existing.isPresent()) {
        throw duplicateOf(existing.get());
      }
      Optional<Map<String, Object>> holder =
          job.exclusiveValetTask() ? jobs.valetTaskHolder(job.valetTaskId()) : Optional.empty();
      if (holder.isPresent()) {
        throw new DuplicateJobException(String.valueOf(holder.get().get("id")),
            String.valueOf(holder.get().get("status")), DuplicateJobException.Reason.VALET_TASK);
      }
      // what stood in the way is gone again (a job deleted, or one skipped in the same statement
      // for a reason of its own): write once more
      if (attempt == 2) {
        throw new IllegalStateException("job for " + (job.idempotencyKey() != null
            ? "idempotency key " + job.idempotencyKey() : "VALET task " + job.valetTaskId()) + " keeps being refused");
      }
    }
  }

  private static String createdMetadata(NewJob job) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("job_type", job.jobType());
    meta.put("target_worker_id", job.targetWorkerId());
    meta.put("created_by", job.createdBy());
    return io.ghosthands.activities.store.Json.write(meta);
  }

  private static DuplicateJobException duplicateOf(Map<String, Object> existing) {
    return new DuplicateJobException(String.valueOf(existing.get("id")), String.valueOf(existing.get("status")));
  }

  /**
   * Starts the job's workflow on a dispatcher thread. If the dispatchers are saturated (or Temporal
   * is down) the job stays pending and the {@link Dispatcher} sweep starts it.
   */
  void dispatchSoon(UUID id, Dispatch job) {
    try {
      dispatchers.execute(
          () -> {
            JobRepository.Started started = start(id, job);
            if (started != null) {
              startedQueue.add(started);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.warn("job {}: dispatch queue full, leaving it to the sweep", id);
    }
  }

  /** Lets queued dispatches finish (bounded) when the API stops. */
  @jakarta.annotation.PreDestroy
  void stopDispatchers() throws InterruptedException {
    dispatchers.shutdown();
    dispatchers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    marker.interrupt();
    marker.join(5_000);
    List<JobRepository.Started> rest = new java.util.ArrayList<>();
    startedQueue.drainTo(rest);
    if (!rest.isEmpty()) {
      markQuietly(rest);
    }
  }

  /** Creates every job or none (one transaction), then dispatches them. */
  public List<Created> createBatch(List<NewJob> batch) {
    List<JobRepository.Insert> rows = new java.util.ArrayList<>();
    for (NewJob job : batch) {
      rows.add(new JobRepository.Insert(UUID.randomUUID(), job, UUID.randomUUID(), createdMetadata(job)));
    }
    // one statement in a transaction of its own: a job whose key is taken rolls back the others
    List<Created> created =
        tx.execute(
            status -> {
              Map<UUID, OffsetDateTime> written = jobs.insertAll(rows);
              List<Created> out = new java.util.ArrayList<>();
              for (JobRepository.Insert row : rows) {
                OffsetDateTime at = written.get(row.id());
                if (at == null) {
                  Optional<Map<String, Object>> existing = jobs.findByIdempotencyKey(row.job().idempotencyKey());
                  throw existing.map(JobService::duplicateOf).orElseThrow(
                      () -> new IllegalStateException("job " + row.id() + " was not written"));
                }
                out.add(new Created(row.id(), "pending", at.toInstant().toString()));
              }
              return out;
            });
    for (int i = 0; i < rows.size(); i++) {
      dispatchSoon(rows.get(i).id(), Dispatch.of(batch.get(i)));
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
  public Map<String, Object> cancel(UUID id, String actor) {
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
  public void resumeByHuman(UUID id, io.ghosthands.workflows.payload.HumanAction human, String resolution) {
    Map<String, Object> job = jobs.find(id).orElseThrow(() -> new JobStateException(JobStateException.Kind.NOT_FOUND, null));
    String status = (String) job.get("status");
    if (!"paused".equals(status)) {
      throw new JobStateException(JobStateException.Kind.NOT_PAUSED, status);
    }
    requireLiveWorkflow(id, status);
    if (!jobs.markResumedByHuman(id)) {
      throw new JobStateException(JobStateException.Kind.NOT_PAUSED, null);
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("resolution_type", human.resolutionType());
    meta.put("resolved_by", human.resolvedBy());
    if (resolution != null) {
      meta.put("resolution", resolution);
    }
    jobs.event(new io.ghosthands.activities.store.JobEvent(UUID.randomUUID().toString(), id.toString(), "hitl_resumed",
        "paused", "running", "Resumed by a human", meta, "api"));
    try {
      temporal.newUntypedWorkflowStub(WorkflowIds.forJob(id)).signal(JobWorkflow.RESUME_SIGNAL, human);
    } catch (RuntimeException e) {
      // the workflow went away (or Temporal did) since it was found live: put the row back as it was
      jobs.undoResume(id, job.get("paused_at"), job.get("status_message"));
      jobs.event(new io.ghosthands.activities.store.JobEvent(UUID.randomUUID().toString(), id.toString(),
          "hitl_resume_undone", "running", "paused", "The resume did not reach the job's workflow", Map.of(), "api"));
      boolean gone = notFoundFailure(e);
      throw new NoLiveWorkflowException(gone, status,
          gone ? "The job's workflow is gone; the job is left paused and the reconciler fails it"
              : "Temporal cannot be reached; the job is left paused, try again later");
    }
  }

  /**
   * Cancels a job paused for a human because the human said so: the row ends {@code cancelled} with
   * {@code error_code = human_cancelled} at once, and the workflow is told through its resume signal,
   * so it closes the page and sends the {@code cancelled} callback. Returns the row.
   */
  public Map<String, Object> cancelByHuman(UUID id, io.ghosthands.workflows.payload.HumanAction action) {
    return cancel(id, "human", action);
  }

  /** A cancel as committed, and the callback it owes when no workflow will send one. */
  private record Cancelled(JobRepository.Transition transition, UUID owedCallback) {}

  private Map<String, Object> cancel(UUID id, String actor, io.ghosthands.workflows.payload.HumanAction human) {
    // a claimed job is stopped by its workflow: without one, cancelling the row would only hide a
    // browser that may still run (or a job the reconciler must fail and report); leave it as it is
    String before = jobs.find(id).map(r -> (String) r.get("status")).orElse(null);
    if (before != null && claimed(before)) {
      requireLiveWorkflow(id, before);
    }
    Cancelled c =
        tx.execute(
            status -> {
              JobRepository.Transition t = jobs.cancel(id, actor);
              if (!t.done()) {
                return new Cancelled(t, null);
              }
              if (human != null) {
                jobs.setErrorCode(id, io.ghosthands.workflows.ErrorCode.HUMAN_CANCELLED.code(), "Cancelled by a human");
                t.row().put("error_code", io.ghosthands.workflows.ErrorCode.HUMAN_CANCELLED.code());
                t.row().put("status_message", "Cancelled by a human");
              }
              return new Cancelled(t, claimed(t.fromStatus()) ? null : outbox.oweCancelled(t.row()));
            });
    JobRepository.Transition t = c.transition();
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
      } else if (human != null && t.fromStatus().equals("paused")) {
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

  /** Whether the job's workflow runs, as far as Temporal can tell. */
  public enum Liveness {
    /** Its latest run is running. */
    LIVE,
    /** Temporal does not know it, or its latest run ended. */
    GONE,
    /** Temporal could not be reached (or did not answer in time). */
    UNREACHABLE
  }

  /** How long {@link #liveness} waits for Temporal's answer. */
  static final int LIVENESS_DEADLINE_SECONDS = 3;

  /** Asks Temporal whether the job's workflow runs. */
  public Liveness liveness(UUID id) {
    try {
      // one call with a short deadline, no retries: during an outage a resume must answer quickly
      var status =
          temporal
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(LIVENESS_DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
              .describeWorkflowExecution(
                  io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(temporal.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(WorkflowIds.forJob(id)))
                      .build())
              .getWorkflowExecutionInfo()
              .getStatus();
      return status == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
          ? Liveness.LIVE
          : Liveness.GONE;
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      return Liveness.GONE;
    } catch (RuntimeException e) {
      if (notFound(e)) {
        return Liveness.GONE;
      }
      log.debug("job {}: workflow describe failed: {}", id, e.toString());
      return Liveness.UNREACHABLE;
    }
  }

  /** Whether a failed Temporal call says the workflow does not exist (or no longer runs). */
  public static boolean notFoundFailure(Throwable e) {
    return notFound(e);
  }

  static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.temporal.client.WorkflowNotFoundException) {
        return true;
      }
      if (t instanceof io.grpc.StatusRuntimeException
          && ((io.grpc.StatusRuntimeException) t).getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        // a namespace Temporal does not know says nothing about the job's workflow (a misconfigured
        // or recreated namespace must not make every job look lost)
        String d = String.valueOf(((io.grpc.StatusRuntimeException) t).getStatus().getDescription())
            .toLowerCase(java.util.Locale.ROOT);
        boolean namespaceMissing = d.contains("namespace") && !d.contains("execution") && !d.contains("workflow");
        return !namespaceMissing;
      }
    }
    return false;
  }

  /** Throws {@link NoLiveWorkflowException} unless the job's workflow runs. */
  public void requireLiveWorkflow(UUID id, String currentStatus) {
    switch (liveness(id)) {
      case LIVE:
        return;
      case GONE:
        throw new NoLiveWorkflowException(true, currentStatus,
            "The job's workflow is gone (Temporal lost or ended it); the job is left " + currentStatus
                + " and the reconciler fails it");
      default:
        throw new NoLiveWorkflowException(false, currentStatus,
            "Temporal cannot be reached; the job is left " + currentStatus + ", try again later");
    }
  }

  /** Whether a worker holds the job (so its workflow reports on it), by the status it had. */
  private static boolean claimed(String status) {
    return status.equals("running") || status.equals("paused");
  }

  private void signalOrCancel(UUID id, io.temporal.client.WorkflowStub workflow,
      io.ghosthands.workflows.payload.HumanAction human) {
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
  public Map<String, Object> retry(UUID id, String actor) {
    JobRepository.Transition t = tx.execute(status -> jobs.retry(id, actor));
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
    Map<String, Object> row = t.row();
    boolean queued = dispatch(id, Dispatch.of(row));
    Map<String, Object> answer = new LinkedHashMap<>(row);
    answer.put("status", queued ? "queued" : "pending");
    return answer;
  }

  /**
   * Starts the job's workflow on its task queue (a workflow that already runs counts as started) and
   * marks the row queued. Returns false, leaving the row pending, when Temporal could not be reached.
   */
  /**
   * Checks again, now, that the server knows the jobs' search attributes (registering them where
   * it can): a Temporal that restarted may have forgotten them, and the SDK's in-process server,
   * refusing a start for unknown attributes, keeps the workflow id of that start without its run
   * (every later start of that job would then be "already started" and lost).
   */
  public void recheckSearchAttributes() {
    searchAttributes.recheck();
  }

  public boolean dispatch(UUID id, Dispatch job) {
    JobRepository.Started started = start(id, job);
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
  private JobRepository.Started start(UUID id, Dispatch job) {
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
    return e.getCause() instanceof io.grpc.StatusRuntimeException s
        && s.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT
        && String.valueOf(s.getStatus().getDescription()).toLowerCase(java.util.Locale.ROOT).contains("search attribute");
  }

  /** Starts the job's workflow (a workflow that already runs counts as started); returns its run. */
  private JobRepository.Started start(UUID id, Dispatch job, boolean searchable) {
    String runId;
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.forJob(id))
            .setTaskQueue(WORKFLOW_QUEUE)
            // Temporal's priority keys run 1 (first) upward, as ours do
            .setPriority(Priority.newBuilder().setPriorityKey(job.priority()).build());
    if (searchable) {
      options.setTypedSearchAttributes(JobSearchAttributes.atStart(job.jobType(), JobStatus.QUEUED.value(),
          job.targetWorkerId(), job.valetTaskId(), job.userId()));
    }
    try {
      // untyped: the same start as through the JobWorkflow interface, without making a proxy per job
      WorkflowExecution execution =
          temporal
              .newUntypedWorkflowStub(
                  JobWorkflow.TYPE,
                  options.build())
              .start(
                  new JobRequest(
                      id.toString(),
                      job.jobType(),
                      job.targetUrl(),
                      job.targetWorkerId(),
                      job.timeoutSeconds(),
                      job.scheduledAt() == null ? 0 : job.scheduledAt().toEpochMilli(),
                      job.maxRetries(),
                      properties.getJobs().getRetryBackoffSeconds(),
                      io.ghosthands.workflows.WorkerAffinity.codeOf(job.workerAffinity()),
                      properties.getJobs().getPreferredFallbackSeconds(),
                      properties.getJobs().getStartDeadlineSeconds()));
      runId = execution.getRunId();
    } catch (WorkflowExecutionAlreadyStarted e) {
      runId = e.getExecution().getRunId();
    }
    return new JobRepository.Started(id, runId, routing(job));
  }

  /**
   * Mirrors started workflows into their rows (queued, run id, {@code job_dispatched}); ends the
   * workflow of any job that ended before its workflow started.
   */
  private void recordStarted(List<JobRepository.Started> started) {
    Map<UUID, String> endedFirst = jobs.markDispatched(started, WORKFLOW_QUEUE);
    for (JobRepository.Started s : started) {
      String endedAs = endedFirst.get(s.id());
      if (endedAs != null) {
        try {
          temporal.newUntypedWorkflowStub(
                  WorkflowIds.forJob(s.id()), java.util.Optional.of(s.runId()), java.util.Optional.empty())
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
  private final java.util.concurrent.BlockingQueue<JobRepository.Started> startedQueue =
      new java.util.concurrent.LinkedBlockingQueue<>();

  private static final int MARK_BATCH = 256;

  /**
   * How long the marker gathers started workflows before it writes them. The mark is only the
   * mirror of a start that already happened (the job can be claimed and run meanwhile), so a few
   * milliseconds cost nobody anything, while a statement for 20 jobs costs PostgreSQL little more
   * than one for 2.
   */
  static final long MARK_LINGER_MS = 10;

  private final Thread marker = new Thread(this::markLoop, "job-dispatch-mark");

  @jakarta.annotation.PostConstruct
  void startMarker() {
    marker.setDaemon(true);
    marker.start();
  }

  private void markLoop() {
    List<JobRepository.Started> batch = new java.util.ArrayList<>(MARK_BATCH);
    while (!Thread.currentThread().isInterrupted()) {
      try {
        batch.add(startedQueue.take());
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(MARK_LINGER_MS);
        while (batch.size() < MARK_BATCH) {
          startedQueue.drainTo(batch, MARK_BATCH - batch.size());
          long left = until - System.nanoTime();
          if (batch.size() >= MARK_BATCH || left <= 0) {
            break;
          }
          JobRepository.Started next = startedQueue.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
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

  private void markQuietly(List<JobRepository.Started> batch) {
    try {
      recordStarted(batch);
    } catch (RuntimeException e) {
      log.warn("{} started job(s) not marked queued, the sweep will: {}", batch.size(), e.toString());
    }
  }
}
