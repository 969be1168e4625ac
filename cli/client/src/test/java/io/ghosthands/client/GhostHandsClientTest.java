package io.ghosthands.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ghosthands.app.support.SharedDevStack;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.client.Models.AutomationJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK against a real running GhostHands (API, worker, Temporal, Postgres, Chromium). */
class GhostHandsClientTest {

    private static TestStack stack;
    private static TestPages pages;
    private static GhostHandsClient client;

    @BeforeAll
    static void start() {
        stack = SharedDevStack.get();
        pages = new TestPages();
        client = new GhostHandsClient(stack.api().baseUrl(), TestStack.SERVICE_KEY);
    }

    @AfterAll
    static void stop() {
        pages.close();
    }

    @Test
    void createWaitAndReadAJob() {
        CreateJobParams params = new CreateJobParams("scrape", pages.url("/job"));
        params.task_description = "sdk";
        params.input_data = Map.of("k", 1);
        Models.CreatedJob created = client.createJob(params);
        assertThat(created.id()).isNotBlank();
        assertThat(created.createdAt()).endsWith("Z");

        AutomationJob job = client.waitForCompletion(created.id(), Duration.ofSeconds(60), Duration.ofMillis(100));
        assertThat(job.status()).isEqualTo("completed");
        assertThat(job.isTerminal()).isTrue();
        assertThat(job.resultData().path("page_title").asText()).isEqualTo(TestPages.JOB_TITLE);
        assertThat(job.inputData().path("k").asInt()).isEqualTo(1);
        assertThat(job.screenshotUrls()).hasSize(1);
        assertThat(job.workerId()).isNotBlank();

        assertThat(client.getJobStatus(created.id()).status()).isEqualTo("completed");
        Models.EventPage events = client.getJobEvents(created.id(), 50, 0);
        assertThat(events.events()).extracting(Models.JobEvent::eventType).contains("job_created", "job_completed");
    }

    @Test
    void camelCaseOptionsCarryTheTargetWorker() {
        String worker = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
        Models.CreatedJob created = client.createJob(new CreateJobOptions()
                .jobType("custom")
                .targetUrl(pages.url("/blank"))
                .taskDescription("x")
                .targetWorkerId(worker)
                .priority(2)
                .tags(List.of("a")));
        AutomationJob job = client.getJob(created.id());
        assertThat(job.targetWorkerId()).isEqualTo(worker);
        assertThat(job.priority()).isEqualTo(2);
        assertThat(job.tags()).containsExactly("a");

        Models.JobPage page =
                client.listJobs(new ListJobsQuery().targetWorkerId(worker).status("queued", "pending"));
        assertThat(page.total()).isEqualTo(1);
        assertThat(page.jobs().get(0).id()).isEqualTo(created.id());

        Models.CancelResult cancelled = client.cancelJob(created.id());
        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThatThrownBy(() -> client.cancelJob(created.id()))
                .isInstanceOfSatisfying(
                        GhostHandsException.JobNotCancellableException.class,
                        e -> assertThat(e.currentStatus()).isEqualTo("cancelled"));
        Models.RetryResult retried = client.retryJob(created.id());
        assertThat(retried.retryCount()).isEqualTo(1);
        client.cancelJob(created.id());
    }

    @Test
    void batchCreatesAll() {
        CreateJobParams defaults = new CreateJobParams();
        defaults.job_type = "scrape";
        defaults.target_worker_id = "nobody";
        CreateJobParams a = new CreateJobParams();
        a.target_url = pages.url("/blank");
        CreateJobParams b = new CreateJobParams();
        b.target_url = pages.url("/job");
        Models.BatchResult result = client.createBatch(List.of(a, b), defaults);
        assertThat(result.created()).isEqualTo(2);
        assertThat(result.jobIds()).hasSize(2);
        result.jobIds().forEach(client::cancelJob);
    }

    @Test
    void errorsAreTyped() {
        assertThatThrownBy(() -> client.getJob(UUID.randomUUID().toString()))
                .isInstanceOf(GhostHandsException.JobNotFoundException.class);
        assertThatThrownBy(() -> client.createJob(new CreateJobParams("dance", "nope")))
                .isInstanceOfSatisfying(GhostHandsException.ValidationException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.body().path("details").findValuesAsText("field"))
                            .contains("job_type", "target_url");
                });
        assertThatThrownBy(() -> new GhostHandsClient(stack.api().baseUrl(), "wrong")
                        .getJob(UUID.randomUUID().toString()))
                .isInstanceOf(GhostHandsException.UnauthorizedException.class);
        CreateJobParams dup = new CreateJobParams("scrape", pages.url("/blank"));
        dup.idempotency_key = "sdk-" + UUID.randomUUID();
        dup.target_worker_id = "nobody";
        String first = client.createJob(dup).id();
        assertThatThrownBy(() -> client.createJob(dup))
                .isInstanceOfSatisfying(
                        GhostHandsException.DuplicateIdempotencyKeyException.class,
                        e -> assertThat(e.existingJobId()).isEqualTo(first));
        assertThatThrownBy(() -> client.resume(first, ResumeParams.resume()))
                .isInstanceOf(GhostHandsException.NotPausedException.class);
        client.cancelJob(first);
        assertThatThrownBy(() -> client.retryJob(UUID.randomUUID().toString()))
                .isInstanceOf(GhostHandsException.JobNotFoundException.class);
        assertThatThrownBy(() -> new GhostHandsClient("http://127.0.0.1:1", "k").getJob("x"))
                .isInstanceOfSatisfying(
                        GhostHandsException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void valetRoutes() {
        ValetApplyParams apply = new ValetApplyParams();
        apply.valet_task_id = "sdk-task";
        apply.valet_user_id = "00000000-0000-0000-0000-000000000001";
        apply.target_url = pages.url("/job");
        apply.platform = "unknown";
        apply.profile = Map.of("first_name", "Ada", "last_name", "L", "email", "");
        apply.resume = Map.of("storage_path", "");
        apply.idempotency_key = "sdk-apply-" + UUID.randomUUID();
        Models.ValetSubmission submitted = client.valetApply(apply);
        assertThat(submitted.jobId()).isNotBlank();
        assertThat(submitted.duplicate()).isFalse();
        Models.ValetSubmission again = client.valetApply(apply);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.jobId()).isEqualTo(submitted.jobId());

        client.waitForCompletion(submitted.jobId(), Duration.ofSeconds(60), Duration.ofMillis(100));
        Models.ValetStatus status = client.valetStatus(submitted.jobId());
        assertThat(status.status()).isEqualTo("completed");
        assertThat(status.valetTaskId()).isEqualTo("sdk-task");
        assertThat(status.timestamps().completedAt()).isNotBlank();
        assertThat(status.cost()).isNotNull();
        // a completed job has no error: null, not an empty error object (VALET reads any object as one)
        assertThat(status.error()).isNull();

        ValetTaskParams task = new ValetTaskParams();
        task.valet_task_id = "sdk-generic";
        task.job_type = "custom";
        task.target_url = pages.url("/blank");
        task.target_worker_id = "nobody";
        Models.ValetSubmission generic = client.valetTask(task);
        assertThat(generic.jobId()).isNotBlank();
        client.cancelJob(generic.jobId());
    }
}
