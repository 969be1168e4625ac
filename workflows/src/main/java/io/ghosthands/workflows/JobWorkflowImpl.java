package io.ghosthands.workflows;

import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.activity.CallbackActivities;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Callback;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.HumanAction;
import io.ghosthands.workflows.payload.Interaction;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobEnded;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.ghosthands.workflows.payload.JobRequeue;
import io.ghosthands.workflows.payload.Pause;
import io.ghosthands.workflows.payload.Progress;
import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * See {@link JobWorkflow}. Deterministic: all I/O is in activities.
 *
 * <p>A job waits for its {@code scheduled_at} on a durable timer, is claimed on its task queue, and
 * runs its browser steps on the claiming worker's session queue, where its page lives. A step stops
 * when the job is done, when the page needs a human (the job pauses, {@code needs_human} is sent and
 * the workflow waits for the {@code resume} signal under a durable timer; the wait does not count
 * against {@code timeout_seconds}), or just before the final submit (recorded first, so no later
 * attempt submits twice). When an attempt fails in a way a clean page may fix, the job is requeued
 * and tried again up to {@code max_retries} times with exponential backoff. Callbacks go out in
 * order from their own workflow thread, retried for up to the configured maximum age, and the
 * workflow ends only when they are delivered (or given up).
 */
public class JobWorkflowImpl implements JobWorkflow {

  private static final Logger log = Workflow.getLogger(JobWorkflowImpl.class);

  /** Pauses for a human per attempt before the job fails with the blocker's code. */
  public static final int MAX_PAUSES = 3;

  /**
   * How a worker runs this workflow; the same on every worker of a deployment.
   *
   * @param sessionScheduleToStart how long a browser step may wait for the claiming worker to take
   *     it before the workflow decides that worker is gone (and retries the job elsewhere); short,
   *     because a worker claims a job only for a free browser lane and takes every step of the jobs
   *     it holds at once, so only a dead worker leaves a step waiting
   * @param callbackMaxAge how long a callback is retried before it is given up
   * @param callbackMaxInterval the longest wait between two attempts of a callback
   */
  public record Settings(Duration sessionScheduleToStart, Duration callbackMaxAge, Duration callbackMaxInterval) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(15), Duration.ofHours(24), Duration.ofMinutes(5));
  }

  private final Settings settings;

  /** The production settings. */
  public JobWorkflowImpl() {
    this(Settings.DEFAULT);
  }

  /** Register with {@code registerWorkflowImplementationFactory}. */
  public JobWorkflowImpl(Settings settings) {
    this.settings = settings;
  }

  /**
   * Browser steps heartbeat more often than this while they work (every 500 ms); a step silent this
   * long belongs to a worker that died, and its job is retried elsewhere.
   */
  static final Duration BROWSER_HEARTBEAT = Duration.ofSeconds(10);

  static final int MAX_BACKOFF_SECONDS = 60;

  /** Extra time a worker keeps a paused page open beyond the pause's own timeout. */
  static final int HOLD_MARGIN_SECONDS = 120;

  /**
   * The claim runs as an activity on the claim queue the job is routed to, so whichever worker takes
   * it from there becomes the owner: a job with a target worker is claimed on {@code gh-claims-<id>}
   * (where only that worker polls), others on {@link TaskQueues#SHARED_CLAIMS}. A draining worker
   * stops polling its claim queues first. {@code scheduleToStart} bounds how
   * long the target may take to show up (null: unbounded).
   */
  private JobStoreActivities claimer(String queue, Duration scheduleToStart) {
    ActivityOptions.Builder options =
        ActivityOptions.newBuilder()
            .setTaskQueue(queue)
            .setStartToCloseTimeout(Duration.ofSeconds(10))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofMillis(200))
                    .setMaximumInterval(Duration.ofSeconds(5))
                    // the database may blink, and a draining worker may refuse a claim that its
                    // last poll still received; a finished job won't change
                    .setMaximumAttempts(10)
                    .setDoNotRetry(FailureTypes.NOT_CLAIMABLE)
                    .build());
    if (scheduleToStart != null) {
      options.setScheduleToStartTimeout(scheduleToStart);
    }
    return Workflow.newActivityStub(JobStoreActivities.class, options.build());
  }

  // Mirror writes must land: retried with backoff for up to ten minutes of database trouble.
  private static final Duration MIRROR_ATTEMPT = Duration.ofSeconds(15);
  private static final Duration MIRROR_GIVE_UP = Duration.ofMinutes(10);
  private static final RetryOptions MIRROR_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setMaximumInterval(Duration.ofSeconds(30))
          .build();

  private final JobStoreActivities store = mirror();

  /** A stub for the mirror writes, as every workflow of ours makes them. Workflow code only. */
  static JobStoreActivities mirror() {
    return Workflow.newActivityStub(
        JobStoreActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(MIRROR_ATTEMPT)
            .setScheduleToCloseTimeout(MIRROR_GIVE_UP)
            .setRetryOptions(MIRROR_RETRY)
            .build());
  }

  // The same writes run in the workflow's own task, for the transition a caller waits on most
  // (completion): no activity task to dispatch and no extra workflow task to finish after it.
  private final JobStoreActivities localStore =
      Workflow.newLocalActivityStub(
          JobStoreActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(MIRROR_ATTEMPT)
              .setScheduleToCloseTimeout(MIRROR_GIVE_UP)
              .setRetryOptions(MIRROR_RETRY)
              .build());

  /** Histories written before completion became a local activity replay with the regular one. */
  static final String LOCAL_COMPLETION = "local-completion";

  /**
   * Histories written before a cancel requested while a browser step was finishing won over the
   * step's result replay as they ran (the result was reported).
   */
  static final String CANCEL_OVER_LATE_RESULT = "cancel-over-late-result";

  /**
   * Histories written before a preferred job's retry after {@code worker_lost} went straight to the
   * shared pool replay with the retry claimed on the target's queue first.
   */
  static final String RETRY_LOST_ON_POOL = "retry-lost-on-pool";

  private JobRequest request;
  private Claim claim;
  /** Time left of the current attempt's {@code timeout_seconds}, in ms; pauses do not count. */
  private long budgetMs;
  private boolean sessionOpen;
  private Progress progress = new Progress("queued", 0, 0);

  // human in the loop: set while paused, so a resume that comes at any other time is ignored
  private boolean awaitingHuman;
  private HumanAction humanAction;

  // callbacks, delivered in order by their own thread
  private final Deque<Callback> outbox = new ArrayDeque<>();
  private boolean outboxClosed;
  private Promise<Void> sender;
  private String lastCallbackUrl;

  @Override
  public void resume(HumanAction action) {
    if (awaitingHuman && humanAction == null && action != null) {
      humanAction = action;
    }
  }

  @Override
  public JobOutcome run(JobRequest request) {
    this.request = request;
    long wait = request.scheduledAtEpochMs() - Workflow.currentTimeMillis();
    if (wait > 0) {
      Workflow.sleep(Duration.ofMillis(wait));
    }
    try {
      JobOutcome outcome = attempts();
      flushCallbacks();
      return outcome;
    } catch (CanceledFailure e) {
      Workflow.newDetachedCancellationScope(() -> ended(JobStatus.CANCELLED.value(), null, "Job cancelled", Map.of()))
          .run();
      throw e;
    } catch (HumanCancelled e) {
      ended(JobStatus.CANCELLED.value(), ErrorCode.HUMAN_CANCELLED.code(), "Cancelled by a human", Map.of());
      return new JobOutcome(JobStatus.CANCELLED.value(), ErrorCode.HUMAN_CANCELLED.code());
    } catch (JobFailed e) {
      ended(JobStatus.FAILED.value(), e.code.code(), e.getMessage(), e.details);
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.code.code());
    }
  }

  /** A job that ended without its result: session closed, mirrored, reported, callbacks flushed. */
  private void ended(String status, String code, String message, Map<String, Object> details) {
    closeSession();
    log.info("job {} {}: {}{}", request.jobId(), status, code == null ? "" : code + ": ", message);
    JobSearchAttributes.upsert(JobSearchAttributes.STATUS, status);
    JobEnded end =
        store.fail(new JobFailure(request.jobId(), eventId(), status, code, message, details, progress.actionsCompleted()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("completed_at", now());
    if (code != null || !status.equals(JobStatus.CANCELLED.value())) {
      body.put("error_code", code);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    if (details.get("result_data") instanceof Map<?, ?> work) {
      work.forEach((k, v) -> result.put(String.valueOf(k), v)); // what the engine did before it failed
    }
    if (end != null && end.submitted()) {
      // the application may have reached the site: the receiver must not just apply again
      result.put("submitted_at", end.submittedAt());
      result.put("submission_confirmed", end.submissionConfirmed());
    }
    if (!result.isEmpty()) {
      body.put("result_data", result);
    }
    if (!status.equals(JobStatus.CANCELLED.value())) {
      body.put("error_message", message);
      body.put("cost", cost());
    } else {
      body.put("error_message", message);
    }
    callback(status, body);
    flushCallbacks();
  }

  private JobOutcome attempts() {
    boolean targetLost = false;
    for (int retries = 0; ; retries++) {
      try {
        claim = targetLost ? claimOnPoolAfterLoss() : claim();
      } catch (ActivityFailure e) {
        if (failureType(e).equals(FailureTypes.NOT_CLAIMABLE)) {
          log.info("job {} ended before a worker claimed it", request.jobId());
          return new JobOutcome("not_claimed", null);
        }
        throw e;
      } catch (WorkerUnavailable e) {
        String message = "Worker " + request.targetWorkerId() + " did not take the job within "
            + request.startDeadlineSeconds() + "s (strict affinity)";
        log.info("job {} expired: {}", request.jobId(), message);
        JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.EXPIRED.value());
        store.fail(new JobFailure(request.jobId(), eventId(), JobStatus.EXPIRED.value(),
            ErrorCode.WORKER_UNAVAILABLE.code(), message,
            Map.of("target_worker_id", request.targetWorkerId(), "worker_affinity", "strict")));
        return new JobOutcome(JobStatus.EXPIRED.value(), ErrorCode.WORKER_UNAVAILABLE.code());
      }
      JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.RUNNING.value(),
          JobSearchAttributes.WORKER_ID, claim.workerId(),
          JobSearchAttributes.VALET_TASK_ID, claim.valetTaskId());
      Map<String, Object> running = new LinkedHashMap<>();
      running.put("retry_count", retries);
      callback(JobStatus.RUNNING.value(), running);

      if (claim.submission() != null) {
        return fromRecordedSubmission(claim.submission());
      }
      AttemptFailure failure;
      try {
        StepResult done = session();
        complete(done);
        return new JobOutcome(JobStatus.COMPLETED.value(), null);
      } catch (AttemptFailure f) {
        failure = f;
      }
      if (failure.retryable && retries < request.maxRetries()) {
        int backoff = backoffSeconds(request.retryBackoffSeconds(), retries);
        log.info("job {} attempt failed ({}), retry {} of {} in {}s", request.jobId(), failure.code.code(),
            retries + 1, request.maxRetries(), backoff);
        store.requeue(new JobRequeue(request.jobId(), eventId(), failure.code.code(), failure.getMessage(),
            retries + 1, backoff));
        JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.QUEUED.value(),
            JobSearchAttributes.WORKER_ID, null);
        Workflow.sleep(Duration.ofSeconds(backoff));
        // the worker a preferred job was aimed at is gone: its retry goes to the pool at once
        // instead of waiting out the fallback time for a dead worker
        targetLost = failure.code == ErrorCode.WORKER_LOST && preferredTarget()
            && Workflow.getVersion(RETRY_LOST_ON_POOL, Workflow.DEFAULT_VERSION, 1) == 1;
        continue;
      }
      Map<String, Object> details = new LinkedHashMap<>(failure.details);
      details.put("worker_id", claim.workerId());
      details.put("step", progress.step());
      details.put("automatic_retries", retries);
      details.put("retryable", failure.retryable);
      throw new JobFailed(failure.code, failure.getMessage(), details);
    }
  }

  /** The job's target worker never came (strict affinity). */
  private static final class WorkerUnavailable extends RuntimeException {
    WorkerUnavailable() {
      super("worker unavailable", null, false, false);
    }
  }

  /**
   * Claims the job where its routing says: the shared pool; its target worker only (strict: the job
   * expires when that worker does not take it within the start deadline); or its target worker
   * first and the shared pool after the fallback time (preferred).
   */
  private Claim claim() {
    ClaimRequest claimRequest = new ClaimRequest(request.jobId(), eventId());
    String target = request.targetWorkerId();
    WorkerAffinity affinity = WorkerAffinity.of(request.workerAffinity());
    if (!affinity.claimsOnTarget(target)) {
      return claimer(TaskQueues.SHARED_CLAIMS, null).claim(claimRequest);
    }
    boolean strict = affinity == WorkerAffinity.STRICT;
    int seconds = strict ? request.startDeadlineSeconds() : request.preferredFallbackSeconds();
    try {
      return claimer(TaskQueues.claimsFor(target), Duration.ofSeconds(Math.max(1, seconds))).claim(claimRequest);
    } catch (ActivityFailure e) {
      if (!(e.getCause() instanceof TimeoutFailure)) {
        throw e;
      }
    }
    if (strict) {
      throw new WorkerUnavailable();
    }
    String message = "Worker " + target + " did not take the job within " + seconds + "s; running it on the shared pool";
    log.info("job {}: {}", request.jobId(), message);
    store.note(new JobNote(request.jobId(), eventId(), "routing_fallback", message,
        Map.of("target_worker_id", target, "worker_affinity", affinity.code(), "fallback_seconds", seconds), null));
    return claimer(TaskQueues.SHARED_CLAIMS, null).claim(new ClaimRequest(request.jobId(), eventId()));
  }

  /** Whether the job is aimed at a worker it may leave for the shared pool ({@code preferred}). */
  private boolean preferredTarget() {
    String target = request.targetWorkerId();
    return WorkerAffinity.of(request.workerAffinity()) == WorkerAffinity.PREFERRED
        && WorkerAffinity.PREFERRED.claimsOnTarget(target);
  }

  /** The claim of a preferred job's retry after its worker was lost: on the shared pool. */
  private Claim claimOnPoolAfterLoss() {
    String message = "Worker " + request.targetWorkerId() + " was lost; the retry runs on the shared pool";
    log.info("job {}: {}", request.jobId(), message);
    store.note(new JobNote(request.jobId(), eventId(), "routing_fallback", message,
        Map.of("target_worker_id", request.targetWorkerId(), "worker_affinity", WorkerAffinity.PREFERRED.code(),
            "reason", "worker_lost"),
        null));
    return claimer(TaskQueues.SHARED_CLAIMS, null).claim(new ClaimRequest(request.jobId(), eventId()));
  }

  /**
   * An earlier attempt clicked the final submit. Never submit again: complete from what it recorded,
   * or, when it recorded no confirmation, fail and say so.
   */
  @SuppressWarnings("unchecked")
  private JobOutcome fromRecordedSubmission(Map<String, Object> submission) {
    Object result = submission.get("result_data");
    if (result instanceof Map) {
      Object summary = submission.get("result_summary");
      Object screenshots = submission.get("screenshot_urls");
      complete(new StepResult(StepResult.DONE, (Map<String, Object>) result,
          summary == null ? "Application submitted" : summary.toString(),
          screenshots instanceof List ? (List<String>) screenshots : List.of(), null, progress));
      return new JobOutcome(JobStatus.COMPLETED.value(), null);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("submitted_at", submission.get("submitted_at"));
    details.put("worker_id", claim.workerId());
    throw new JobFailed(ErrorCode.SUBMISSION_UNCONFIRMED,
        "The application's submit was clicked by an earlier attempt but no confirmation was recorded;"
            + " not submitting again",
        details);
  }

  private void complete(StepResult done) {
    List<String> shots = done.screenshotUrls() == null ? List.of() : done.screenshotUrls();
    JobCompletion completion = new JobCompletion(request.jobId(), eventId(), done.resultData(), done.summary(), shots,
        progress.actionsCompleted());
    boolean local = Workflow.getVersion(LOCAL_COMPLETION, Workflow.DEFAULT_VERSION, 1) == 1;
    (local ? localStore : store).complete(completion);
    JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.COMPLETED.value());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("completed_at", now());
    body.put("result_data", done.resultData());
    body.put("result_summary", done.summary());
    body.put("screenshot_url", shots.isEmpty() ? null : shots.get(shots.size() - 1));
    body.put("cost", cost());
    callback(JobStatus.COMPLETED.value(), body);
  }

  /** One attempt's browser session, from a clean page to its result. */
  private StepResult session() {
    budgetMs = request.timeoutSeconds() * 1000L;
    BrowserActivities browser = browserOn(claim.sessionQueue(), settings.sessionScheduleToStart());
    // the page of a resume or submit is already open on its worker, which has nothing to queue it
    // behind for long: a worker that does not take it within a minute is gone (and so is the page)
    BrowserActivities held = browserOn(claim.sessionQueue(), min(settings.sessionScheduleToStart(), HELD_STEP_START));
    sessionOpen = true;
    StepResult result = step(() -> browser.start(stepRequest()));
    int pauses = 0;
    while (true) {
      if (result.progress() != null) {
        progress = result.progress();
      }
      if (result.is(StepResult.DONE)) {
        sessionOpen = false; // the step closed it
        return result;
      }
      if (result.is(StepResult.READY_TO_SUBMIT)) {
        store.markSubmitting(new JobNote(request.jobId(), eventId(), "submit_started",
            "Clicking the final submit", Map.of("worker_id", claim.workerId()), null));
        result = step(() -> held.submit(stepRequest()));
        continue;
      }
      Interaction why = result.interaction();
      boolean questions = result.is(StepResult.NEEDS_ANSWERS);
      if (claim.callbackUrl() == null || pauses >= MAX_PAUSES) {
        closeSession();
        throw blockedFailure(why, questions, claim.callbackUrl() != null);
      }
      pauses++;
      HumanAction action = waitForHuman(why, pauses);
      result = step(() -> held.resume(new ResumeStep(stepRequest(), action)));
    }
  }

  /**
   * Pauses the job for a human and waits for the resume signal under a durable timer. Returns the
   * human's action; throws when the human cancelled, the pause timed out, or the job was cancelled.
   */
  private HumanAction waitForHuman(Interaction why, int round) {
    int timeout = claim.hitlTimeoutSeconds();
    long pausedAt = Workflow.currentTimeMillis();
    String pausedIso = Instant.ofEpochMilli(pausedAt).toString();
    String expiresIso = Instant.ofEpochMilli(pausedAt + timeout * 1000L).toString();
    awaitingHuman = true;
    humanAction = null;
    store.pause(new Pause(request.jobId(), eventId(), why, pausedIso, expiresIso, timeout, round));
    JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.PAUSED.value());

    Map<String, Object> interaction = new LinkedHashMap<>();
    interaction.put("type", why.reason());
    interaction.put("reason", why.reason());
    interaction.put("description", why.description());
    interaction.put("message", why.description());
    interaction.put("screenshot_url", why.screenshotUrl());
    interaction.put("current_url", why.currentUrl());
    interaction.put("page_url", why.currentUrl());
    interaction.put("paused_at", pausedIso);
    interaction.put("expires_at", expiresIso);
    interaction.put("timeout_seconds", timeout);
    interaction.put("round", round);
    if (why.questions() != null && !why.questions().isEmpty()) {
      interaction.put("questions", why.questions());
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("blocker_confidence", why.confidence());
    metadata.put("detection_method", "dom");
    interaction.put("metadata", metadata);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("interaction", interaction);
    body.put("progress", progressBody());
    callback("needs_human", body);

    boolean acted =
        Workflow.await(
            Duration.ofSeconds(timeout),
            () -> humanAction != null || CancellationScope.current().isCancelRequested());
    awaitingHuman = false;
    if (CancellationScope.current().isCancelRequested()) {
      throw new CanceledFailure("job cancelled while paused for a human");
    }
    if (!acted) {
      closeSession();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("blocker_type", why.reason());
      details.put("screenshot_url", why.screenshotUrl());
      details.put("timeout_seconds", timeout);
      throw new JobFailed(ErrorCode.HUMAN_TIMEOUT,
          "No human resolved the " + why.reason() + " within " + timeout + "s", details);
    }
    HumanAction action = humanAction;
    if (action.cancels()) {
      throw new HumanCancelled();
    }
    JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.RUNNING.value());
    Map<String, Object> resumed = new LinkedHashMap<>();
    resumed.put("resumed_at", now());
    resumed.put("resolution_type", action.resolutionType() == null ? "manual" : action.resolutionType());
    callback("resumed", resumed);
    store.note(new JobNote(request.jobId(), eventId(), "hitl_resume_applied",
        "Continuing after the human's " + resumed.get("resolution_type"),
        Map.of("resolution_type", resumed.get("resolution_type"), "round", round), JobStatus.RUNNING.value()));
    return action;
  }

  /** What a page that needs a human ends the attempt with when nobody can be asked (any more). */
  private AttemptFailure blockedFailure(Interaction why, boolean questions, boolean askedBefore) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("screenshot_url", why.screenshotUrl());
    details.put("page_url", why.currentUrl());
    ErrorCode code;
    if (questions) {
      code = ErrorCode.UNANSWERED_REQUIRED_FIELDS;
      details.put("questions", why.questions());
    } else {
      code = ErrorCode.forBlocker(why.reason());
      details.put("blocker_type", why.reason());
      details.put("confidence", why.confidence());
      details.put("signals", why.signals());
    }
    String message = askedBefore
        ? why.description() + " (still blocked after " + MAX_PAUSES + " rounds with a human)"
        : why.description();
    return new AttemptFailure(code, message, details, !askedBefore && code.retryable());
  }

  /** Runs a browser step within the attempt's remaining budget; its failure ends the attempt. */
  private StepResult step(Supplier<StepResult> call) {
    if (budgetMs <= 0) {
      closeSession();
      throw new AttemptFailure(ErrorCode.TIMEOUT,
          "The job used its " + request.timeoutSeconds() + "s (time paused for a human not counted)",
          Map.of(), ErrorCode.TIMEOUT.retryable());
    }
    long started = Workflow.currentTimeMillis();
    try {
      StepResult result = call.get();
      // the job was cancelled while the step finished (a step learns of a cancel on its next
      // heartbeat, so it may end first): its row already says cancelled, and so must its callback
      if (CancellationScope.current().isCancelRequested()
          && Workflow.getVersion(CANCEL_OVER_LATE_RESULT, Workflow.DEFAULT_VERSION, 1) == 1) {
        throw new CanceledFailure("job cancelled while its browser step finished");
      }
      return result;
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        throw (CanceledFailure) e.getCause();
      }
      sessionOpen = false; // a failed step closed its session, or its worker is gone
      throw attemptFailure(e);
    } finally {
      budgetMs -= Workflow.currentTimeMillis() - started;
    }
  }

  private StepRequest stepRequest() {
    int seconds = (int) Math.max(1, (budgetMs + 999) / 1000);
    return new StepRequest(request.jobId(), request.jobType(), request.targetUrl(), seconds,
        claim.hitlTimeoutSeconds() + HOLD_MARGIN_SECONDS);
  }

  /** Closes the attempt's browser session on its worker, also when the workflow is being cancelled. */
  private void closeSession() {
    if (!sessionOpen || claim == null) {
      return;
    }
    sessionOpen = false;
    BrowserActivities closer =
        Workflow.newActivityStub(
            BrowserActivities.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(claim.sessionQueue())
                // a worker that is gone took the session with it
                .setScheduleToStartTimeout(Duration.ofSeconds(30))
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                closer.close(request.jobId());
              } catch (ActivityFailure e) {
                log.info("job {}: session not closed ({}); its worker reaps it", request.jobId(), messageOf(e));
              }
            })
        .run();
  }

  // ---- callbacks ---------------------------------------------------------------------------

  /** Queues a callback (when the job has a callback URL); sent in order by the sender thread. */
  private void callback(String status, Map<String, Object> fields) {
    String url = claim != null ? claim.callbackUrl() : lastCallbackUrl;
    if (url == null || url.isBlank()) {
      return;
    }
    lastCallbackUrl = url;
    String eventId = eventId();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job_id", request.jobId());
    body.put("valet_task_id", claim == null ? null : claim.valetTaskId());
    body.put("status", status);
    body.put("worker_id", claim == null ? null : claim.workerId());
    body.put("event_id", eventId);
    body.put("timestamp", now());
    body.putAll(fields);
    outbox.add(new Callback(request.jobId(), url, eventId, body));
    if (sender == null) {
      // detached: cancelling the job must not cancel the delivery of its callbacks
      Workflow.newDetachedCancellationScope(() -> sender = Async.procedure(this::sendCallbacks)).run();
    }
  }

  private void sendCallbacks() {
    CallbackDelivery delivery = new CallbackDelivery(settings);
    while (true) {
      Workflow.await(() -> !outbox.isEmpty() || outboxClosed);
      if (outbox.isEmpty()) {
        return;
      }
      delivery.deliver(outbox.peek());
      outbox.poll();
    }
  }

  /** Waits until every queued callback was delivered or given up. */
  private void flushCallbacks() {
    if (sender == null) {
      return;
    }
    outboxClosed = true;
    Workflow.newDetachedCancellationScope(() -> sender.get()).run();
  }

  private Map<String, Object> progressBody() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("step", progress.step());
    p.put("progress_pct", progress.progressPct());
    p.put("actions_completed", progress.actionsCompleted());
    return p;
  }

  private Map<String, Object> cost() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("total_cost_usd", 0.0);
    c.put("action_count", progress.actionsCompleted());
    c.put("total_tokens", 0);
    return c;
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  // ---- failures ------------------------------------------------------------------------------

  /** An attempt that ended without a result; retried when {@code retryable} and retries remain. */
  private static final class AttemptFailure extends RuntimeException {
    final ErrorCode code;
    final Map<String, Object> details;
    final boolean retryable;

    AttemptFailure(ErrorCode code, String message, Map<String, Object> details, boolean retryable) {
      super(message, null, false, false);
      this.code = code;
      this.details = details;
      this.retryable = retryable;
    }
  }

  /** The job failed for good. */
  private static final class JobFailed extends RuntimeException {
    final ErrorCode code;
    final Map<String, Object> details;

    JobFailed(ErrorCode code, String message, Map<String, Object> details) {
      super(message, null, false, false);
      this.code = code;
      this.details = details;
    }
  }

  /** The human chose to cancel the paused job. */
  private static final class HumanCancelled extends RuntimeException {
    HumanCancelled() {
      super("cancelled by a human", null, false, false);
    }
  }

  private static AttemptFailure attemptFailure(ActivityFailure e) {
    ErrorCode code = classify(e);
    Map<String, Object> details = detailsOf(e);
    boolean retryable =
        code == ErrorCode.PAGE_LOAD_FAILED
            ? ErrorCode.retryableHttp(((Number) details.getOrDefault("http_status", 0)).intValue())
            // an address the outbound URL policy refused is refused again on every attempt
            : code.retryable() && !FailureTypes.BLOCKED_ADDRESS.equals(details.get("reason"));
    return new AttemptFailure(code, messageOf(e), details, retryable);
  }

  static int backoffSeconds(int initial, int retriesDone) {
    long backoff = (long) Math.max(1, initial) << Math.min(retriesDone, 10);
    return (int) Math.min(MAX_BACKOFF_SECONDS, backoff);
  }

  static final Duration HELD_STEP_START = Duration.ofSeconds(60);

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private BrowserActivities browserOn(String sessionQueue, Duration scheduleToStart) {
    return Workflow.newActivityStub(
        BrowserActivities.class,
        ActivityOptions.newBuilder()
            .setTaskQueue(sessionQueue)
            .setScheduleToStartTimeout(scheduleToStart)
            // the step's own page timeouts (the job's remaining budget) fire first; this bounds a
            // hung browser
            .setStartToCloseTimeout(Duration.ofSeconds(request.timeoutSeconds() + 30L))
            .setHeartbeatTimeout(BROWSER_HEARTBEAT)
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            // a half-done browser step is not safely repeatable (it may have typed or clicked);
            // whole-job retries restart from a clean page instead
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  static ErrorCode classify(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure) {
      return ErrorCode.fromCode(((ApplicationFailure) cause).getType());
    }
    if (cause instanceof TimeoutFailure) {
      switch (((TimeoutFailure) cause).getTimeoutType()) {
        case TIMEOUT_TYPE_SCHEDULE_TO_START:
        case TIMEOUT_TYPE_HEARTBEAT:
          return ErrorCode.WORKER_LOST;
        default:
          return ErrorCode.TIMEOUT;
      }
    }
    return ErrorCode.INTERNAL_ERROR;
  }

  /**
   * What a browser step attached to its failure: {@code screenshot_url} of the page as it failed,
   * {@code http_status}.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> detailsOf(ActivityFailure failure) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (failure.getCause() instanceof ApplicationFailure) {
      ApplicationFailure cause = (ApplicationFailure) failure.getCause();
      if (cause.getDetails().getSize() > 0) {
        Map<String, Object> given = cause.getDetails().get(0, Map.class, Map.class);
        if (given != null) {
          details.putAll(given);
        }
      }
    }
    return details;
  }

  private static String failureType(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure
        ? ((ApplicationFailure) failure.getCause()).getType()
        : "";
  }

  static String messageOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure) {
      return ((ApplicationFailure) cause).getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure) {
      return "Step timed out (" + ((TimeoutFailure) cause).getTimeoutType() + ")";
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }

  private static String eventId() {
    return Workflow.randomUUID().toString();
  }
}
