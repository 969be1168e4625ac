package io.ghosthands.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ghosthands.workflows.JobWorkflowTest.RecordingStore;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.activity.CallbackActivities;
import io.ghosthands.workflows.codec.EncryptionCodec;
import io.ghosthands.workflows.payload.Callback;
import io.ghosthands.workflows.payload.HumanAction;
import io.ghosthands.workflows.payload.Interaction;
import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.ghosthands.workflows.payload.Progress;
import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pause for a human, its resume/cancel/timeout, the never-twice submit and the callbacks, with
 * scripted activities on Temporal's test server (time skipping, so a 5-minute pause times out at
 * once).
 */
class HumanInTheLoopWorkflowTest {

    private static final String SESSION = TaskQueues.forSession("w1", "p1");
    private static final String SECRET_CODE = "731904";

    private TestWorkflowEnvironment env;
    private final RecordingStore store = new RecordingStore();
    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private Browser browser;

    private void start(Browser scripted, TestEnvironmentOptions options) {
        env = options == null ? TestWorkflowEnvironment.newInstance() : TestWorkflowEnvironment.newInstance(options);
        Worker jobs = env.newWorker(TaskQueues.SHARED);
        jobs.registerWorkflowImplementationFactory(
                JobWorkflow.class, () -> new JobWorkflowImpl(JobWorkflowTest.SETTINGS));
        jobs.registerActivitiesImplementations(store, callbacks);
        env.newWorker(TaskQueues.SHARED_CLAIMS).registerActivitiesImplementations(store);
        browser = scripted;
        env.newWorker(SESSION).registerActivitiesImplementations(browser);
        env.start();
    }

    private void start(Browser scripted) {
        start(scripted, null);
    }

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void givenACaptchaAndACallbackUrl_itShouldPauseNotifyAndCompleteAfterTheResume() throws Exception {
        store.callbackUrl = "http://valet/cb?token=t";
        start(new Browser(r -> blocked("captcha")));

        WorkflowStub job = startAsync("job-h1", request("job-h1", 60));
        awaitPause();
        assertThat(store.pauses.get(0).interaction().reason()).isEqualTo("captcha");
        assertThat(store.pauses.get(0).timeoutSeconds()).isEqualTo(300);
        // ten minutes of (skipped) time paused: more than the job's 60 s, which must not count
        env.sleep(Duration.ofSeconds(200));
        job.signal(JobWorkflow.RESUME_SIGNAL, new HumanAction("resume", "manual", Map.of(), "tester", null));

        JobOutcome outcome = job.getResult(JobOutcome.class);

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(browser.calls).containsExactly("start", "resume");
        assertThat(browser.resumeBudgets.get(0)).isGreaterThan(55);
        assertThat(callbacks.statuses()).containsExactly("running", "needs_human", "resumed", "completed");
        Map<String, Object> needsHuman = callbacks.delivered.get(1).body();
        assertThat(needsHuman)
                .containsEntry("job_id", "job-h1")
                .containsEntry("valet_task_id", "valet-1")
                .containsKey("event_id")
                .containsKey("progress");
        @SuppressWarnings("unchecked")
        Map<String, Object> interaction = (Map<String, Object>) needsHuman.get("interaction");
        assertThat(interaction)
                .containsEntry("reason", "captcha")
                .containsEntry("timeout_seconds", 300)
                .containsEntry("screenshot_url", "http://x/blocked.png")
                .containsKeys("paused_at", "expires_at", "current_url");
        assertThat(callbacks.delivered).extracting(Callback::url).containsOnly("http://valet/cb?token=t");
        assertThat(callbacks.delivered).extracting(Callback::eventId).doesNotHaveDuplicates();

        // and the history replays deterministically against the current code
        WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(WorkflowIds.forJob("job-h1"));
        WorkflowReplayer.replayWorkflowExecution(history, JobWorkflowImpl.class);
    }

    @Test
    void givenNoHumanWithinTheTimeout_itShouldFailWithHumanTimeoutAndCloseThePage() {
        store.callbackUrl = "http://valet/cb";
        start(new Browser(r -> blocked("2fa")));

        assertThatThrownBy(() -> stub("job-h2").run(request("job-h2", 60))).isInstanceOf(WorkflowFailedException.class);

        assertThat(store.failures).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo("failed");
            assertThat(f.errorCode()).isEqualTo("human_timeout");
        });
        assertThat(browser.calls).containsExactly("start", "close");
        assertThat(callbacks.statuses()).containsExactly("running", "needs_human", "failed");
        assertThat(callbacks.delivered.get(2).body())
                .containsEntry("error_code", "human_timeout")
                .containsKey("error_message");
    }

    @Test
    void givenTheHumanCancels_itShouldEndCancelledWithHumanCancelled() throws Exception {
        store.callbackUrl = "http://valet/cb";
        start(new Browser(r -> blocked("login")));

        WorkflowStub job = startAsync("job-h3", request("job-h3", 60));
        awaitPause();
        job.signal(JobWorkflow.RESUME_SIGNAL, new HumanAction("cancel", null, Map.of(), "tester", null));
        JobOutcome outcome = job.getResult(JobOutcome.class);

        assertThat(outcome).isEqualTo(new JobOutcome("cancelled", "human_cancelled"));
        assertThat(browser.calls).containsExactly("start", "close");
        assertThat(store.failures)
                .singleElement()
                .extracting(f -> f.errorCode())
                .isEqualTo("human_cancelled");
        assertThat(callbacks.statuses()).containsExactly("running", "needs_human", "cancelled");
    }

    @Test
    void givenTheJobIsCancelledWhilePaused_itShouldCloseThePageAndReportCancelled() throws Exception {
        store.callbackUrl = "http://valet/cb";
        start(new Browser(r -> blocked("captcha")));

        WorkflowStub job = startAsync("job-h4", request("job-h4", 60));
        awaitPause();
        job.cancel();
        assertThatThrownBy(() -> job.getResult(JobOutcome.class)).isInstanceOf(WorkflowFailedException.class);

        assertThat(browser.calls).containsExactly("start", "close");
        assertThat(store.failures).singleElement().extracting(f -> f.status()).isEqualTo("cancelled");
        assertThat(callbacks.statuses()).containsExactly("running", "needs_human", "cancelled");
    }

    @Test
    void givenACancelThatArrivesWhileTheStepFinishes_itShouldReportCancelledNotCompleted() throws Exception {
        store.callbackUrl = "http://valet/cb";
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a step that never heartbeats, so it cannot learn of the cancel: it ends with its page done
        start(new Browser(r -> {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return JobWorkflowTest.done("Done anyway", r.url(), "http://x/done.png");
        }));

        WorkflowStub job = startAsync("job-h14", request("job-h14", 60));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        job.cancel();
        Thread.sleep(500); // the cancel request is in the history before the step's result
        release.countDown();
        assertThatThrownBy(() -> job.getResult(JobOutcome.class)).isInstanceOf(WorkflowFailedException.class);

        assertThat(store.completions).isEmpty();
        assertThat(store.failures).singleElement().extracting(f -> f.status()).isEqualTo("cancelled");
        assertThat(callbacks.statuses()).containsExactly("running", "cancelled");
        // and the history replays deterministically against the current code
        WorkflowReplayer.replayWorkflowExecution(
                env.getWorkflowClient().fetchHistory(WorkflowIds.forJob("job-h14")), JobWorkflowImpl.class);
    }

    @Test
    void givenNoCallbackUrl_itShouldNeverPauseAndFailWithTheBlockersCode() {
        start(new Browser(r -> blocked("2fa")));

        assertThatThrownBy(() -> stub("job-h5").run(request("job-h5", 60))).isInstanceOf(WorkflowFailedException.class);

        assertThat(store.pauses).isEmpty();
        assertThat(store.failures)
                .singleElement()
                .extracting(f -> f.errorCode())
                .isEqualTo("2fa_required");
        assertThat(browser.calls).containsExactly("start", "close");
        assertThat(callbacks.delivered).isEmpty();
    }

    @Test
    void givenAPageStillBlockedAfterThreeRounds_itShouldFailWithTheBlockersCode() throws Exception {
        store.callbackUrl = "http://valet/cb";
        Browser stubborn = new Browser(r -> blocked("captcha"));
        stubborn.resumeResult = r -> blocked("captcha");
        start(stubborn);

        WorkflowStub job = startAsync("job-h6", request("job-h6", 60));
        for (int round = 1; round <= 3; round++) {
            awaitPauses(round);
            job.signal(JobWorkflow.RESUME_SIGNAL, new HumanAction("resume", "manual", Map.of(), "tester", null));
        }
        assertThatThrownBy(() -> job.getResult(JobOutcome.class)).isInstanceOf(WorkflowFailedException.class);

        assertThat(store.pauses).extracting(p -> p.round()).containsExactly(1, 2, 3);
        assertThat(store.failures).singleElement().satisfies(f -> {
            assertThat(f.errorCode()).isEqualTo("captcha_blocked");
            assertThat(f.details()).containsEntry("retryable", false);
        });
        assertThat(callbacks.statuses())
                .containsExactly(
                        "running",
                        "needs_human",
                        "resumed",
                        "needs_human",
                        "resumed",
                        "needs_human",
                        "resumed",
                        "failed");
    }

    @Test
    void givenAFormReadyToSubmit_itShouldRecordTheSubmissionBeforeClicking() {
        start(new Browser(r -> new StepResult(
                StepResult.READY_TO_SUBMIT,
                Map.of("Email", "a@b.c"),
                null,
                List.of(),
                null,
                new Progress("filling_form", 80, 6))));
        browser.onSubmit = () ->
                assertThat(store.submitMarks).as("recorded before the click").containsExactly("job-h7");

        JobOutcome outcome = stub("job-h7").run(request("job-h7", 60));

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(browser.calls).containsExactly("start", "submit");
        assertThat(browser.submitErrors).isEmpty();
    }

    @Test
    void givenAnEarlierAttemptSubmittedAndWasConfirmed_itShouldCompleteFromTheRecordWithoutABrowser() {
        store.submission = Map.of(
                "submitted_at",
                "2026-11-26T10:00:00Z",
                "result_data",
                Map.of("confirmation_id", "ABC-1"),
                "result_summary",
                "Applied",
                "screenshot_urls",
                List.of("u"));
        start(new Browser(r -> {
            throw new AssertionError("must not open a browser");
        }));

        JobOutcome outcome = stub("job-h8").run(request("job-h8", 60));

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(browser.calls).isEmpty();
        assertThat(store.completions).singleElement().satisfies(c -> {
            assertThat(c.resultData()).containsEntry("confirmation_id", "ABC-1");
            assertThat(c.resultSummary()).isEqualTo("Applied");
        });
    }

    @Test
    void givenAnEarlierAttemptClickedSubmitWithoutConfirmation_itShouldFailRatherThanSubmitAgain() {
        store.submission = Map.of("submitted_at", "2026-11-26T10:00:00Z");
        start(new Browser(r -> {
            throw new AssertionError("must not open a browser");
        }));

        assertThatThrownBy(() -> stub("job-h9").run(request("job-h9", 60))).isInstanceOf(WorkflowFailedException.class);

        assertThat(browser.calls).isEmpty();
        assertThat(store.failures)
                .singleElement()
                .extracting(f -> f.errorCode())
                .isEqualTo("submission_unconfirmed");
    }

    @Test
    void givenAReceiverThatFailsForAWhile_itShouldStillDeliverEveryCallbackInOrder() {
        store.callbackUrl = "http://valet/cb";
        callbacks.failFirst.set(5);
        start(new Browser(r -> JobWorkflowTest.done("T", r.url(), "s")));

        JobOutcome outcome = stub("job-h10").run(request("job-h10", 60));

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(callbacks.attempts.get()).isEqualTo(7);
        assertThat(callbacks.statuses()).containsExactly("running", "completed");
    }

    @Test
    void givenAReceiverThatRefusesForGood_itShouldGiveUpWithAnEventAndStillCompleteTheJob() {
        store.callbackUrl = "http://valet/cb";
        callbacks.refuse = true;
        start(new Browser(r -> JobWorkflowTest.done("T", r.url(), "s")));

        JobOutcome outcome = stub("job-h11").run(request("job-h11", 60));

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(store.notes).extracting(n -> n.type()).containsExactly("callback_abandoned", "callback_abandoned");
    }

    @Test
    void givenAnEncryptionKey_theResumeCodeShouldReachTheBrowserButNeverTheHistoryInClear() throws Exception {
        store.callbackUrl = "http://valet/cb";
        EncryptionCodec codec = EncryptionCodec.forKey("test-service-key");
        start(
                new Browser(r -> blocked("2fa")),
                TestEnvironmentOptions.newBuilder()
                        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                                .setDataConverter(codec.dataConverter())
                                .build())
                        .build());

        WorkflowStub job = startAsync("job-h12", request("job-h12", 60));
        awaitPause();
        job.signal(
                JobWorkflow.RESUME_SIGNAL,
                new HumanAction("resume", "code_entry", Map.of("code", SECRET_CODE), "tester", null));
        assertThat(job.getResult(JobOutcome.class).status()).isEqualTo("completed");

        assertThat(browser.resumeActions)
                .singleElement()
                .satisfies(a -> assertThat(a.resolutionData()).containsEntry("code", SECRET_CODE));
        // the history as the server keeps it, raw bytes: no payload holds the code or any clear JSON
        assertThat(rawHistory("job-h12"))
                .doesNotContain(SECRET_CODE)
                .doesNotContain("code_entry")
                .contains("binary/encrypted");
    }

    @Test
    void withoutAnEncryptionKey_theSameSearchFindsTheCode() throws Exception {
        // the control for the test above: the search would see the code if it were there in clear
        store.callbackUrl = "http://valet/cb";
        start(new Browser(r -> blocked("2fa")));

        WorkflowStub job = startAsync("job-h13", request("job-h13", 60));
        awaitPause();
        job.signal(
                JobWorkflow.RESUME_SIGNAL,
                new HumanAction("resume", "code_entry", Map.of("code", SECRET_CODE), "tester", null));
        job.getResult(JobOutcome.class);

        assertThat(rawHistory("job-h13")).contains(SECRET_CODE);
    }

    private String rawHistory(String jobId) {
        WorkflowClient plain = WorkflowClient.newInstance(
                env.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder()
                        .setNamespace(env.getNamespace())
                        .build());
        byte[] bytes =
                plain.fetchHistory(WorkflowIds.forJob(jobId)).getHistory().toByteArray();
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static JobRequest request(String jobId, int timeoutSeconds) {
        return new JobRequest(jobId, "apply", "http://site/apply", null, timeoutSeconds, 0, 0, 5);
    }

    static StepResult blocked(String reason) {
        return new StepResult(
                StepResult.BLOCKED,
                Map.of(),
                null,
                List.of("http://x/blocked.png"),
                new Interaction(
                        reason,
                        reason + " on the page",
                        "http://x/blocked.png",
                        "http://site/apply",
                        0.9,
                        List.of("widget"),
                        List.of()),
                new Progress("filling_form", 40, 3));
    }

    private JobWorkflow stub(String jobId) {
        return env.getWorkflowClient()
                .newWorkflowStub(
                        JobWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(WorkflowIds.forJob(jobId))
                                .setTaskQueue(TaskQueues.SHARED)
                                .build());
    }

    private WorkflowStub startAsync(String jobId, JobRequest request) {
        JobWorkflow workflow = stub(jobId);
        WorkflowClient.start(workflow::run, request);
        return WorkflowStub.fromTyped(workflow);
    }

    private void awaitPause() throws InterruptedException {
        awaitPauses(1);
    }

    private void awaitPauses(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (store.pauses.size() < n || callbacks.count("needs_human") < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job did not pause " + n + " time(s)");
            }
            Thread.sleep(20);
        }
    }

    /** Scripted browser steps: {@code start} by a function; resume completes unless told otherwise. */
    static final class Browser implements BrowserActivities {
        final Function<StepRequest, StepResult> start;
        Function<ResumeStep, StepResult> resumeResult =
                r -> JobWorkflowTest.done("Resumed", r.step().url(), "http://x/r.png");
        Runnable onSubmit = () -> {};
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Integer> resumeBudgets = new CopyOnWriteArrayList<>();
        final List<HumanAction> resumeActions = new CopyOnWriteArrayList<>();
        final List<Throwable> submitErrors = new CopyOnWriteArrayList<>();

        Browser(Function<StepRequest, StepResult> start) {
            this.start = start;
        }

        @Override
        public StepResult start(StepRequest request) {
            calls.add("start");
            return start.apply(request);
        }

        @Override
        public StepResult resume(ResumeStep request) {
            calls.add("resume");
            resumeBudgets.add(request.step().timeoutSeconds());
            resumeActions.add(request.action());
            return resumeResult.apply(request);
        }

        @Override
        public StepResult submit(StepRequest request) {
            calls.add("submit");
            try {
                onSubmit.run();
            } catch (Throwable t) {
                submitErrors.add(t);
            }
            return JobWorkflowTest.done("Thanks", request.url(), "http://x/confirm.png");
        }

        @Override
        public void close(String jobId) {
            calls.add("close");
        }
    }

    /** Records delivered callbacks; can fail the first attempts or refuse every one. */
    static final class RecordingCallbacks implements CallbackActivities {
        final List<Callback> delivered = new CopyOnWriteArrayList<>();
        final AtomicInteger failFirst = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public void deliver(Callback callback) {
            attempts.incrementAndGet();
            if (refuse) {
                throw ApplicationFailure.newNonRetryableFailure("HTTP 401", FailureTypes.CALLBACK_REJECTED);
            }
            if (failFirst.getAndDecrement() > 0) {
                throw ApplicationFailure.newFailure("HTTP 500", "callback_http_500");
            }
            delivered.add(callback);
        }

        List<String> statuses() {
            List<String> statuses = new ArrayList<>();
            for (Callback c : delivered) {
                statuses.add((String) c.body().get("status"));
            }
            return statuses;
        }

        long count(String status) {
            return statuses().stream().filter(status::equals).count();
        }
    }
}
