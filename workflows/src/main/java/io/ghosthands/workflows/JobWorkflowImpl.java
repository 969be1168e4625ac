package io.ghosthands.workflows;

import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.ghosthands.workflows.payload.JobRequeue;
import io.ghosthands.workflows.payload.PageVisit;
import io.ghosthands.workflows.payload.VisitRequest;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * See {@link JobWorkflow}. Deterministic: all I/O is in activities.
 *
 * <p>A job waits for its {@code scheduled_at} on a durable timer, is claimed on its task queue, runs
 * its browser steps on the claiming worker's session queue within {@code timeout_seconds} per
 * attempt, and, when an attempt fails in a way a clean page may fix, is requeued and tried again up
 * to {@code max_retries} times with exponential backoff.
 */
public class JobWorkflowImpl implements JobWorkflow {

  private static final Logger log = Workflow.getLogger(JobWorkflowImpl.class);

  /** Activity failure type of {@link JobStoreActivities#claim} for a job that already ended. */
  public static final String NOT_CLAIMABLE = "job_not_claimable";

  /**
   * How long a browser step may wait for the claiming worker to take it before the workflow decides
   * that worker is gone. Generous because a live worker that claimed more jobs than it has browser
   * lanes queues them here (a worker claims whatever its queues hand it; claiming only up to its
   * capacity is the workers issue's work); a dead worker's in-flight steps are caught sooner by their
   * heartbeat timeout.
   */
  public static final Duration SESSION_SCHEDULE_TO_START = Duration.ofMinutes(5);

  private final Duration sessionScheduleToStart;

  /** The production settings. */
  public JobWorkflowImpl() {
    this(SESSION_SCHEDULE_TO_START);
  }

  /**
   * @param sessionScheduleToStart how long a browser step may wait for its worker (see
   *     {@link #SESSION_SCHEDULE_TO_START}); register with {@code registerWorkflowImplementationFactory}
   */
  public JobWorkflowImpl(Duration sessionScheduleToStart) {
    this.sessionScheduleToStart = sessionScheduleToStart;
  }

  /** Browser steps heartbeat more often than this while they work. */
  static final Duration BROWSER_HEARTBEAT = Duration.ofSeconds(20);

  static final int MAX_BACKOFF_SECONDS = 60;

  // The claim is a local activity: it runs in the very worker that took this workflow's task from
  // the job's queue, so that worker becomes the owner, with no extra round trip via the server.
  private final JobStoreActivities claimer =
      Workflow.newLocalActivityStub(
          JobStoreActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setMaximumAttempts(5) // the database may blink; a finished job won't change
                      .setDoNotRetry(NOT_CLAIMABLE)
                      .build())
              .build());

  // Mirror writes must land: retried with backoff for up to ten minutes of database trouble.
  private final JobStoreActivities store =
      Workflow.newActivityStub(
          JobStoreActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(15))
              .setScheduleToCloseTimeout(Duration.ofMinutes(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofMillis(500))
                      .setMaximumInterval(Duration.ofSeconds(30))
                      .build())
              .build());

  @Override
  public JobOutcome run(JobRequest request) {
    long wait = request.scheduledAtEpochMs() - Workflow.currentTimeMillis();
    if (wait > 0) {
      Workflow.sleep(Duration.ofMillis(wait));
    }
    for (int retries = 0; ; retries++) {
      Claim claim;
      try {
        claim = claimer.claim(new ClaimRequest(request.jobId(), eventId()));
      } catch (ActivityFailure e) {
        if (failureType(e).equals(NOT_CLAIMABLE)) {
          log.info("job {} ended before a worker claimed it", request.jobId());
          return new JobOutcome("not_claimed", null);
        }
        throw e;
      }
      Attempt attempt = attempt(request, claim);
      if (attempt.failure == null) {
        return new JobOutcome(JobStatus.COMPLETED.value(), null);
      }
      ActivityFailure e = attempt.failure;
      ErrorCode code = classify(e);
      String message = messageOf(e);
      Map<String, Object> details = detailsOf(e);
      boolean retryable =
          code == ErrorCode.PAGE_LOAD_FAILED
              ? ErrorCode.retryableHttp(((Number) details.getOrDefault("http_status", 0)).intValue())
              : code.retryable();
      if (retryable && retries < request.maxRetries()) {
        int backoff = backoffSeconds(request.retryBackoffSeconds(), retries);
        log.info("job {} attempt failed ({}), retry {} of {} in {}s", request.jobId(), code.code(),
            retries + 1, request.maxRetries(), backoff);
        store.requeue(new JobRequeue(request.jobId(), eventId(), code.code(), message, retries + 1, backoff));
        Workflow.sleep(Duration.ofSeconds(backoff));
        continue;
      }
      details.put("worker_id", claim.workerId());
      details.put("step", "visit");
      details.put("automatic_retries", retries);
      details.put("retryable", retryable);
      log.info("job {} failed: {}: {}", request.jobId(), code.code(), message);
      store.fail(
          new JobFailure(request.jobId(), eventId(), JobStatus.FAILED.value(), code.code(), message, details));
      throw ApplicationFailure.newNonRetryableFailureWithCause(message, code.code(), e);
    }
  }

  /** One attempt's outcome: completed (mirrored) or the failure to decide on. */
  private static final class Attempt {
    final ActivityFailure failure;

    Attempt(ActivityFailure failure) {
      this.failure = failure;
    }
  }

  private Attempt attempt(JobRequest request, Claim claim) {
    BrowserActivities browser = browserOn(claim.sessionQueue(), request.timeoutSeconds());
    try {
      PageVisit visit =
          browser.visit(new VisitRequest(request.jobId(), request.targetUrl(), request.timeoutSeconds()));
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("title", visit.title());
      result.put("final_url", visit.finalUrl());
      result.put("http_status", visit.httpStatus());
      result.put("screenshot_url", visit.screenshotUrl());
      String summary =
          visit.title().isEmpty() ? "Opened " + visit.finalUrl() : "Opened \"" + visit.title() + "\"";
      store.complete(
          new JobCompletion(request.jobId(), eventId(), result, summary, List.of(visit.screenshotUrl())));
      return new Attempt(null);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        throw cancelled(request, (CanceledFailure) e.getCause());
      }
      return new Attempt(e);
    } catch (CanceledFailure e) {
      throw cancelled(request, e);
    }
  }

  static int backoffSeconds(int initial, int retriesDone) {
    long backoff = (long) Math.max(1, initial) << Math.min(retriesDone, 10);
    return (int) Math.min(MAX_BACKOFF_SECONDS, backoff);
  }

  private BrowserActivities browserOn(String sessionQueue, int timeoutSeconds) {
    return Workflow.newActivityStub(
        BrowserActivities.class,
        ActivityOptions.newBuilder()
            .setTaskQueue(sessionQueue)
            .setScheduleToStartTimeout(sessionScheduleToStart)
            // the step's own page timeouts (the job's timeout_seconds) fire first; this bounds a
            // hung browser
            .setStartToCloseTimeout(Duration.ofSeconds(timeoutSeconds + 30L))
            .setHeartbeatTimeout(BROWSER_HEARTBEAT)
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            // a half-done browser step is not safely repeatable (it may have typed or clicked);
            // whole-job retries restart from a clean page instead
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  /** Mirrors the cancellation even though this workflow's scope is cancelled, then rethrows. */
  private CanceledFailure cancelled(JobRequest request, CanceledFailure cause) {
    Workflow.newDetachedCancellationScope(
            () ->
                store.fail(
                    new JobFailure(
                        request.jobId(),
                        eventId(),
                        JobStatus.CANCELLED.value(),
                        null,
                        "Job cancelled",
                        Map.of())))
        .run();
    return cause;
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

  private static String messageOf(ActivityFailure failure) {
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
