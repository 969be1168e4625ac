package io.ghosthands.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobEnded;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.ghosthands.workflows.payload.JobRequeue;
import io.ghosthands.workflows.payload.Pause;
import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workflow's decisions with scripted activities (no database, no browser). */
class JobWorkflowTest {

    private static final String SESSION = TaskQueues.forSession("w1", "p1");
    // the test server keeps schedule-to-start timeouts on the wall clock, so use a short one
    static final JobWorkflowImpl.Settings SETTINGS =
            new JobWorkflowImpl.Settings(Duration.ofSeconds(2), Duration.ofHours(24), Duration.ofMinutes(5));

    private TestWorkflowEnvironment env;
    private final RecordingStore store = new RecordingStore();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker jobs = env.newWorker(TaskQueues.SHARED);
        // the test server keeps schedule-to-start timeouts on the wall clock, so use a short one
        jobs.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(SETTINGS));
        jobs.registerActivitiesImplementations(store);
        env.newWorker(TaskQueues.SHARED_CLAIMS).registerActivitiesImplementations(store);
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void givenAPageThatLoads_itShouldClaimVisitOnTheSessionQueueAndComplete() {
        env.newWorker(SESSION)
                .registerActivitiesImplementations(ScriptedBrowser.of(r -> done("Hello", r.url(), "http://x/a.png")));
        env.start();

        JobOutcome outcome = start("job-1").run(request("job-1"));

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(store.claims).containsExactly("job-1");
        assertThat(store.completions).hasSize(1);
        JobCompletion done = store.completions.get(0);
        assertThat(done.resultData()).containsEntry("title", "Hello").containsEntry("final_url", "http://site/");
        assertThat(done.screenshotUrls()).containsExactly("http://x/a.png");
        assertThat(done.resultSummary()).isEqualTo("Opened Hello");
    }

    @Test
    void givenABrowserFailure_itShouldMirrorItsErrorCodeAndFailTheWorkflow() {
        env.newWorker(SESSION).registerActivitiesImplementations(ScriptedBrowser.of(r -> {
            throw ApplicationFailure.newNonRetryableFailure(
                    "net::ERR_CONNECTION_REFUSED",
                    ErrorCode.NETWORK_ERROR.code(),
                    Map.of("screenshot_url", "http://x/fail.png"));
        }));
        env.start();

        assertThatThrownBy(() -> start("job-2").run(request("job-2"))).isInstanceOf(WorkflowFailedException.class);
        assertThat(store.failures).hasSize(1);
        JobFailure failure = store.failures.get(0);
        assertThat(failure.status()).isEqualTo("failed");
        assertThat(failure.errorCode()).isEqualTo("network_error");
        assertThat(failure.errorMessage()).contains("ERR_CONNECTION_REFUSED");
        assertThat(failure.details())
                .containsEntry("worker_id", "w1")
                .containsEntry("screenshot_url", "http://x/fail.png");
    }

    @Test
    void givenARetryableFailure_itShouldRequeueAndTryAgainUpToMaxRetries() {
        AtomicInteger calls = new AtomicInteger();
        env.newWorker(SESSION).registerActivitiesImplementations(ScriptedBrowser.of(r -> {
            if (calls.incrementAndGet() < 3) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "HTTP 503", ErrorCode.PAGE_LOAD_FAILED.code(), Map.of("http_status", 503));
            }
            return done("Up", r.url(), "http://x/ok.png");
        }));
        env.start();

        JobOutcome outcome = start("job-5").run(new JobRequest("job-5", "custom", "http://site/", null, 60, 0, 2, 5));

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(store.claims).hasSize(3);
        assertThat(store.requeues).extracting(q -> q.attempt()).containsExactly(1, 2);
        assertThat(store.requeues).extracting(q -> q.backoffSeconds()).containsExactly(5, 10);
        assertThat(store.requeues).extracting(q -> q.errorCode()).containsOnly("page_load_failed");
    }

    @Test
    void givenANonRetryableFailure_itShouldFailWithoutRetrying() {
        env.newWorker(SESSION).registerActivitiesImplementations(ScriptedBrowser.of(r -> {
            throw ApplicationFailure.newNonRetryableFailure(
                    "HTTP 404", ErrorCode.PAGE_LOAD_FAILED.code(), Map.of("http_status", 404));
        }));
        env.start();

        assertThatThrownBy(
                        () -> start("job-6").run(new JobRequest("job-6", "custom", "http://site/", null, 60, 0, 3, 5)))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(store.requeues).isEmpty();
        assertThat(store.failures).singleElement().satisfies(f -> {
            assertThat(f.errorCode()).isEqualTo("page_load_failed");
            assertThat(f.details()).containsEntry("http_status", 404).containsEntry("retryable", false);
        });
    }

    @Test
    void givenAScheduledTime_itShouldWaitOnADurableTimerBeforeClaiming() {
        env.newWorker(SESSION).registerActivitiesImplementations(ScriptedBrowser.of(r -> done("Later", r.url(), "u")));
        env.start();
        long at = env.currentTimeMillis() + Duration.ofHours(2).toMillis();

        JobOutcome outcome = start("job-7").run(new JobRequest("job-7", "custom", "http://site/", null, 60, at, 0, 5));

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(env.currentTimeMillis()).isGreaterThanOrEqualTo(at);
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertThat(StepFailures.backoffSeconds(5, 0)).isEqualTo(5);
        assertThat(StepFailures.backoffSeconds(5, 1)).isEqualTo(10);
        assertThat(StepFailures.backoffSeconds(5, 3)).isEqualTo(40);
        assertThat(StepFailures.backoffSeconds(5, 4)).isEqualTo(60);
        assertThat(StepFailures.backoffSeconds(5, 40)).isEqualTo(60);
    }

    @Test
    void givenTheClaimingWorkerNeverTakesTheBrowserStep_itShouldFailWithWorkerLost() {
        // no worker polls the session queue
        env.start();
        JobWorkflow workflow = start("job-3");

        assertThatThrownBy(() -> workflow.run(request("job-3"))).isInstanceOf(WorkflowFailedException.class);
        assertThat(store.failures)
                .singleElement()
                .extracting(JobFailure::errorCode)
                .isEqualTo("worker_lost");
    }

    @Test
    void givenAJobThatEndedBeforeTheClaim_itShouldStopWithoutTouchingTheBrowser() {
        store.claimable = false;
        env.start();

        JobOutcome outcome = start("job-4").run(request("job-4"));

        assertThat(outcome.status()).isEqualTo("not_claimed");
        assertThat(store.completions).isEmpty();
        assertThat(store.failures).isEmpty();
    }

    static StepResult done(String title, String url, String shot) {
        return new StepResult(
                StepResult.DONE,
                new LinkedHashMap<>(Map.of("title", title, "final_url", url)),
                "Opened " + title,
                List.of(shot),
                null,
                null);
    }

    @Test
    void givenSearchAttributesAtStart_itShouldKeepThemCurrentBehindAVersionMarker() {
        for (SearchAttributeKey<String> key : JobSearchAttributes.ALL) {
            env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
        env.newWorker(SESSION)
                .registerActivitiesImplementations(ScriptedBrowser.of(r -> done("Hello", r.url(), "http://x/a.png")));
        env.start();
        JobWorkflow workflow = env.getWorkflowClient()
                .newWorkflowStub(
                        JobWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(WorkflowIds.forJob("job-sa"))
                                .setTaskQueue(TaskQueues.SHARED)
                                .setTypedSearchAttributes(
                                        JobSearchAttributes.atStart("custom", "queued", null, "vt-1", "u-1"))
                                .build());

        assertThat(workflow.run(request("job-sa")).status()).isEqualTo("completed");

        SearchAttributes now = env.getWorkflowClient()
                .newUntypedWorkflowStub(WorkflowIds.forJob("job-sa"))
                .describe()
                .getTypedSearchAttributes();
        assertThat(now.get(JobSearchAttributes.STATUS)).isEqualTo("completed");
        assertThat(now.get(JobSearchAttributes.WORKER_ID)).isEqualTo("w1");
        assertThat(now.get(JobSearchAttributes.JOB_TYPE)).isEqualTo("custom");
        assertThat(now.get(JobSearchAttributes.USER_ID)).isEqualTo("u-1");
        WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(WorkflowIds.forJob("job-sa"));
        assertThat(versionMarked(history)).isTrue();
        assertThat(history.getEvents()).anyMatch(e -> e.hasUpsertWorkflowSearchAttributesEventAttributes());
    }

    @Test
    void givenNoSearchAttributesAtStart_itShouldNeitherUpsertNorMarkTheHistory() {
        env.newWorker(SESSION)
                .registerActivitiesImplementations(ScriptedBrowser.of(r -> done("Hello", r.url(), "http://x/a.png")));
        env.start();

        assertThat(start("job-plain").run(request("job-plain")).status()).isEqualTo("completed");

        // what workers and servers without the attributes record, and older histories hold: unchanged
        WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(WorkflowIds.forJob("job-plain"));
        assertThat(versionMarked(history)).isFalse();
        assertThat(history.getEvents()).noneMatch(e -> e.hasUpsertWorkflowSearchAttributesEventAttributes());
    }

    /** Whether the history holds the version marker of the search-attribute upserts. */
    private static boolean versionMarked(WorkflowExecutionHistory history) {
        return history.getEvents().stream()
                .filter(e -> e.hasMarkerRecordedEventAttributes())
                .flatMap(e -> e.getMarkerRecordedEventAttributes().getDetailsMap().values().stream())
                .flatMap(payloads -> payloads.getPayloadsList().stream())
                .anyMatch(payload -> payload.getData().toStringUtf8().contains(JobSearchAttributes.CHANGE_ID));
    }

    private JobWorkflow start(String jobId) {
        return env.getWorkflowClient()
                .newWorkflowStub(
                        JobWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(WorkflowIds.forJob(jobId))
                                .setTaskQueue(TaskQueues.SHARED)
                                .build());
    }

    private static JobRequest request(String jobId) {
        return JobRequest.now(jobId, "custom", "http://site/", null, 60);
    }

    static final class RecordingStore implements JobStoreActivities {
        final List<String> claims = new CopyOnWriteArrayList<>();
        final List<JobCompletion> completions = new CopyOnWriteArrayList<>();
        final List<JobFailure> failures = new CopyOnWriteArrayList<>();
        volatile boolean claimable = true;
        volatile String callbackUrl;
        volatile Map<String, Object> submission;
        final List<Pause> pauses = new CopyOnWriteArrayList<>();
        final List<JobNote> notes = new CopyOnWriteArrayList<>();
        final List<String> submitMarks = new CopyOnWriteArrayList<>();

        @Override
        public void pause(Pause pause) {
            pauses.add(pause);
        }

        @Override
        public void markSubmitting(JobNote note) {
            submitMarks.add(note.jobId());
        }

        @Override
        public void note(JobNote note) {
            notes.add(note);
        }

        @Override
        public Claim claim(ClaimRequest request) {
            if (!claimable) {
                throw ApplicationFailure.newNonRetryableFailure("already ended", FailureTypes.NOT_CLAIMABLE);
            }
            claims.add(request.jobId());
            return new Claim("w1", SESSION, callbackUrl, "valet-1", 300, submission);
        }

        @Override
        public void complete(JobCompletion completion) {
            completions.add(completion);
        }

        @Override
        public JobEnded fail(JobFailure failure) {
            failures.add(failure);
            return new JobEnded(null, false);
        }

        final List<JobRequeue> requeues = new CopyOnWriteArrayList<>();

        @Override
        public void requeue(JobRequeue requeue) {
            requeues.add(requeue);
        }
    }

    /** Browser steps scripted by the test: {@code start} by a function, the others by defaults. */
    static class ScriptedBrowser implements BrowserActivities {
        final Function<StepRequest, StepResult> start;
        final List<String> calls = new CopyOnWriteArrayList<>();

        ScriptedBrowser(Function<StepRequest, StepResult> start) {
            this.start = start;
        }

        static ScriptedBrowser of(Function<StepRequest, StepResult> start) {
            return new ScriptedBrowser(start);
        }

        @Override
        public StepResult start(StepRequest request) {
            calls.add("start");
            return start.apply(request);
        }

        @Override
        public StepResult resume(ResumeStep request) {
            calls.add("resume");
            return done("Resumed", request.step().url(), "http://x/resumed.png");
        }

        @Override
        public StepResult submit(StepRequest request) {
            calls.add("submit");
            return done("Submitted", request.url(), "http://x/confirm.png");
        }

        @Override
        public void close(String jobId) {
            calls.add("close");
        }
    }
}
