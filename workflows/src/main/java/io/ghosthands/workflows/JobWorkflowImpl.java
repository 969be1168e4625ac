package io.ghosthands.workflows;

import io.ghosthands.workflows.StepFailures.AttemptFailure;
import io.ghosthands.workflows.StepFailures.HumanCancelled;
import io.ghosthands.workflows.StepFailures.JobFailed;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.callback.CallbackBody;
import io.ghosthands.workflows.callback.CancelledBody;
import io.ghosthands.workflows.callback.CompletedBody;
import io.ghosthands.workflows.callback.Cost;
import io.ghosthands.workflows.callback.FailedBody;
import io.ghosthands.workflows.callback.RunningBody;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.HumanAction;
import io.ghosthands.workflows.payload.Interaction;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobEnded;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.ghosthands.workflows.payload.JobRequeue;
import io.ghosthands.workflows.payload.Progress;
import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * See {@link JobWorkflow}. Deterministic: all I/O is in activities.
 *
 * <p>A job waits for its {@code scheduled_at} on a durable timer, is claimed on its task queue
 * ({@link ClaimRouting}), and runs its browser steps on the claiming worker's session queue, where
 * its page lives. A step stops when the job is done, when the page needs a human (the job pauses,
 * {@code needs_human} is sent and the workflow waits for the {@code resume} signal under a durable
 * timer; the wait does not count against {@code timeout_seconds}), or just before the final submit
 * (recorded first, so no later attempt submits twice). When an attempt fails in a way a clean page
 * may fix ({@link StepFailures}), the job is requeued and tried again up to {@code max_retries}
 * times with exponential backoff. Callbacks go out in order from their own workflow thread ({@link
 * JobCallbacks}), and the workflow ends only when they are delivered (or given up).
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

    /** Extra time a worker keeps a paused page open beyond the pause's own timeout. */
    static final int HOLD_MARGIN_SECONDS = 120;

    static final Duration HELD_STEP_START = Duration.ofSeconds(60);

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

    private final Settings settings;
    private final JobStoreActivities store = ActivityStubs.mirror();
    private final JobStoreActivities localStore = ActivityStubs.localMirror();
    private final JobCallbacks callbacks;
    private final HumanPause human;

    private JobRequest request;
    private ClaimRouting routing;
    private Claim claim;
    /** Time left of the current attempt's {@code timeout_seconds}, in ms; pauses do not count. */
    private long budgetMs;

    private boolean sessionOpen;
    private Progress progress = new Progress("queued", 0, 0);

    /** The production settings. */
    public JobWorkflowImpl() {
        this(Settings.DEFAULT);
    }

    /** Register with {@code registerWorkflowImplementationFactory}. */
    public JobWorkflowImpl(Settings settings) {
        this.settings = settings;
        this.callbacks = new JobCallbacks(settings);
        this.human = new HumanPause(store, callbacks);
    }

    @Override
    public void resume(HumanAction action) {
        human.resume(action);
    }

    @Override
    public JobOutcome run(JobRequest request) {
        this.request = request;
        this.routing = new ClaimRouting(request, store);
        long wait = request.scheduledAtEpochMs() - Workflow.currentTimeMillis();
        if (wait > 0) {
            Workflow.sleep(Duration.ofMillis(wait));
        }
        try {
            JobOutcome outcome = attempts();
            callbacks.flush();
            return outcome;
        } catch (CanceledFailure e) {
            Workflow.newDetachedCancellationScope(
                            () -> ended(JobStatus.CANCELLED.value(), null, "Job cancelled", Map.of()))
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
        JobEnded end = store.fail(new JobFailure(
                request.jobId(), eventId(), status, code, message, details, progress.actionsCompleted()));
        Map<String, Object> result = new LinkedHashMap<>();
        if (details.get("result_data") instanceof Map<?, ?> work) {
            work.forEach((k, v) -> result.put(String.valueOf(k), v)); // what the engine did before it failed
        }
        if (end != null && end.submitted()) {
            // the application may have reached the site: the receiver must not just apply again
            result.put("submitted_at", end.submittedAt());
            result.put("submission_confirmed", end.submissionConfirmed());
        }
        Map<String, Object> resultData = result.isEmpty() ? null : result;
        CallbackBody body = status.equals(JobStatus.CANCELLED.value())
                ? new CancelledBody(now(), code, resultData, message)
                : new FailedBody(now(), code, resultData, message, cost());
        callbacks.send(request.jobId(), claim, body);
        callbacks.flush();
    }

    private JobOutcome attempts() {
        boolean targetLost = false;
        for (int retries = 0; ; retries++) {
            JobOutcome unclaimed = claimOrEnd(targetLost);
            if (unclaimed != null) {
                return unclaimed;
            }
            JobSearchAttributes.upsert(
                    JobSearchAttributes.STATUS,
                    JobStatus.RUNNING.value(),
                    JobSearchAttributes.WORKER_ID,
                    claim.workerId(),
                    JobSearchAttributes.VALET_TASK_ID,
                    claim.valetTaskId());
            callbacks.send(request.jobId(), claim, new RunningBody(retries));
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
                targetLost = requeue(failure, retries);
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

    /**
     * Claims the job into {@link #claim}; returns null when claimed, or the outcome of a job no worker
     * will run: it ended before a worker claimed it, or its strict target never came (expired).
     */
    private JobOutcome claimOrEnd(boolean targetLost) {
        try {
            claim = targetLost ? routing.claimOnPoolAfterLoss() : routing.claim();
            return null;
        } catch (ActivityFailure e) {
            if (StepFailures.failureType(e).equals(FailureTypes.NOT_CLAIMABLE)) {
                log.info("job {} ended before a worker claimed it", request.jobId());
                return new JobOutcome("not_claimed", null);
            }
            throw e;
        } catch (ClaimRouting.WorkerUnavailable e) {
            String message = "Worker " + request.targetWorkerId() + " did not take the job within "
                    + request.startDeadlineSeconds() + "s (strict affinity)";
            log.info("job {} expired: {}", request.jobId(), message);
            JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.EXPIRED.value());
            store.fail(new JobFailure(
                    request.jobId(),
                    eventId(),
                    JobStatus.EXPIRED.value(),
                    ErrorCode.WORKER_UNAVAILABLE.code(),
                    message,
                    Map.of("target_worker_id", request.targetWorkerId(), "worker_affinity", "strict")));
            return new JobOutcome(JobStatus.EXPIRED.value(), ErrorCode.WORKER_UNAVAILABLE.code());
        }
    }

    /**
     * Puts the job back in the queue after a retryable failure and waits out the backoff. Returns
     * whether its retry goes to the shared pool at once: the worker a preferred job was aimed at is
     * gone, so the retry does not wait out the fallback time for a dead worker.
     */
    private boolean requeue(AttemptFailure failure, int retries) {
        int backoff = StepFailures.backoffSeconds(request.retryBackoffSeconds(), retries);
        log.info(
                "job {} attempt failed ({}), retry {} of {} in {}s",
                request.jobId(),
                failure.code.code(),
                retries + 1,
                request.maxRetries(),
                backoff);
        store.requeue(new JobRequeue(
                request.jobId(), eventId(), failure.code.code(), failure.getMessage(), retries + 1, backoff));
        JobSearchAttributes.upsert(
                JobSearchAttributes.STATUS, JobStatus.QUEUED.value(), JobSearchAttributes.WORKER_ID, null);
        Workflow.sleep(Duration.ofSeconds(backoff));
        return failure.code == ErrorCode.WORKER_LOST
                && routing.preferredTarget()
                && Workflow.getVersion(RETRY_LOST_ON_POOL, Workflow.DEFAULT_VERSION, 1) == 1;
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
            complete(new StepResult(
                    StepResult.DONE,
                    (Map<String, Object>) result,
                    summary == null ? "Application submitted" : summary.toString(),
                    screenshots instanceof List ? (List<String>) screenshots : List.of(),
                    null,
                    progress));
            return new JobOutcome(JobStatus.COMPLETED.value(), null);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("submitted_at", submission.get("submitted_at"));
        details.put("worker_id", claim.workerId());
        throw new JobFailed(
                ErrorCode.SUBMISSION_UNCONFIRMED,
                "The application's submit was clicked by an earlier attempt but no confirmation was recorded;"
                        + " not submitting again",
                details);
    }

    private void complete(StepResult done) {
        List<String> shots = done.screenshotUrls() == null ? List.of() : done.screenshotUrls();
        JobCompletion completion = new JobCompletion(
                request.jobId(), eventId(), done.resultData(), done.summary(), shots, progress.actionsCompleted());
        boolean local = Workflow.getVersion(LOCAL_COMPLETION, Workflow.DEFAULT_VERSION, 1) == 1;
        (local ? localStore : store).complete(completion);
        JobSearchAttributes.upsert(JobSearchAttributes.STATUS, JobStatus.COMPLETED.value());
        callbacks.send(
                request.jobId(),
                claim,
                new CompletedBody(
                        now(),
                        done.resultData(),
                        done.summary(),
                        shots.isEmpty() ? null : shots.get(shots.size() - 1),
                        cost()));
    }

    /** One attempt's browser session, from a clean page to its result. */
    private StepResult session() {
        budgetMs = request.timeoutSeconds() * 1000L;
        BrowserActivities browser = ActivityStubs.browserOn(
                claim.sessionQueue(), settings.sessionScheduleToStart(), request.timeoutSeconds());
        // the page of a resume or submit is already open on its worker, which has nothing to queue it
        // behind for long: a worker that does not take it within a minute is gone (and so is the page)
        BrowserActivities held = ActivityStubs.browserOn(
                claim.sessionQueue(),
                min(settings.sessionScheduleToStart(), HELD_STEP_START),
                request.timeoutSeconds());
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
                store.markSubmitting(new JobNote(
                        request.jobId(),
                        eventId(),
                        "submit_started",
                        "Clicking the final submit",
                        Map.of("worker_id", claim.workerId()),
                        null));
                result = step(() -> held.submit(stepRequest()));
                continue;
            }
            Interaction why = result.interaction();
            boolean questions = result.is(StepResult.NEEDS_ANSWERS);
            if (claim.callbackUrl() == null || pauses >= MAX_PAUSES) {
                closeSession();
                throw StepFailures.blocked(why, questions, claim.callbackUrl() != null, MAX_PAUSES);
            }
            pauses++;
            HumanAction action = human.await(request.jobId(), claim, why, pauses, progress, this::closeSession);
            result = step(() -> held.resume(new ResumeStep(stepRequest(), action)));
        }
    }

    /** Runs a browser step within the attempt's remaining budget; its failure ends the attempt. */
    private StepResult step(Supplier<StepResult> call) {
        if (budgetMs <= 0) {
            closeSession();
            throw new AttemptFailure(
                    ErrorCode.TIMEOUT,
                    "The job used its " + request.timeoutSeconds() + "s (time paused for a human not counted)",
                    Map.of(),
                    ErrorCode.TIMEOUT.retryable());
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
            throw StepFailures.attemptFailure(e);
        } finally {
            budgetMs -= Workflow.currentTimeMillis() - started;
        }
    }

    private StepRequest stepRequest() {
        int seconds = (int) Math.max(1, (budgetMs + 999) / 1000);
        return new StepRequest(
                request.jobId(),
                request.jobType(),
                request.targetUrl(),
                seconds,
                claim.hitlTimeoutSeconds() + HOLD_MARGIN_SECONDS);
    }

    /** Closes the attempt's browser session on its worker, also when the workflow is being cancelled. */
    private void closeSession() {
        if (!sessionOpen || claim == null) {
            return;
        }
        sessionOpen = false;
        BrowserActivities closer = ActivityStubs.closer(claim.sessionQueue());
        Workflow.newDetachedCancellationScope(() -> {
                    try {
                        closer.close(request.jobId());
                    } catch (ActivityFailure e) {
                        log.info(
                                "job {}: session not closed ({}); its worker reaps it",
                                request.jobId(),
                                StepFailures.messageOf(e));
                    }
                })
                .run();
    }

    private Cost cost() {
        return Cost.ofActions(progress.actionsCompleted());
    }

    private static String now() {
        return JobCallbacks.now();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A fresh event id (deterministic in workflow code: replays draw the same). */
    static String eventId() {
        return Workflow.randomUUID().toString();
    }
}
