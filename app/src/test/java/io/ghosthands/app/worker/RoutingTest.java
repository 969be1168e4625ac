package io.ghosthands.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.workflows.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Routing by task queue with two real workers (each its own Temporal worker factory, Chromium and
 * status port) behind one API: a job targeted at {@code adam} runs only on adam, even while the
 * other worker is idle; untargeted jobs run on either; a job targeted at an absent worker is never
 * taken by anyone else.
 */
class RoutingTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static TestStack stack;
    private static TestPages pages;
    private static WorkflowClient temporal;
    private static BrowserSettings browser;
    private static WorkerRuntime adam;
    private static WorkerRuntime anonymous;

    @BeforeAll
    static void start() {
        stack = TestStack.startOnRealIfInstalled("routing", GhostHands.Roles.API, Map.of());
        pages = new TestPages();
        temporal = stack.temporalClient();
        browser = BrowserSettings.resolve(null, true).withExtraArgs(List.of(TestStack.LOOPBACK_ONLY));
    }

    @AfterAll
    static void stop() {
        for (WorkerRuntime worker : new WorkerRuntime[] {adam, anonymous}) {
            if (worker != null) {
                worker.close();
            }
        }
        pages.close();
        stack.close();
    }

    private static WorkerRuntime worker(String givenId) {
        return WorkerRuntime.start(
                new WorkerSettings(
                                WorkerSettings.idFor(givenId),
                                givenId != null,
                                2,
                                0,
                                browser,
                                () -> stack.api().baseUrl(),
                                TestStack.SERVICE_KEY)
                        .withOutbound(stack.outboundPolicy()),
                temporal,
                stack.dataSource());
    }

    private String create(String targetWorkerId) {
        return create(targetWorkerId, "preferred");
    }

    private String create(String targetWorkerId, String affinity) {
        String target = targetWorkerId == null ? "null" : "\"" + targetWorkerId + "\"";
        ApiClient.Answer answer = stack.api()
                .post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank")
                                + "\",\"task_description\":\"r\"," + "\"target_worker_id\":" + target
                                + ",\"worker_affinity\":\"" + affinity + "\"}");
        assertThat(answer.status()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private JsonNode completed(String id) {
        JsonNode job = stack.api().awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(job.path("status").asString()).as("job %s", job).isEqualTo("completed");
        return job;
    }

    private JsonNode read(String id) {
        return stack.api().get("/api/v1/gh/jobs/" + id).json();
    }

    @Test
    void targetedJobsRunOnlyOnTheirWorkerAndSharedJobsOnEither() throws InterruptedException {
        // 1. only the anonymous worker runs: it takes shared work, never adam's
        anonymous = worker(null);
        assertThat(anonymous.workerId()).startsWith("worker-");
        assertThat(anonymous.jobQueues()).containsExactly(TaskQueues.SHARED);
        String sharedBeforeAdam = create(null);
        String waitingForAdam = create("adam");
        assertThat(completed(sharedBeforeAdam).path("worker_id").asString()).isEqualTo(anonymous.workerId());
        Thread.sleep(1500); // an idle worker had every chance to take adam's job
        assertThat(read(waitingForAdam).path("status").asString()).isEqualTo("queued");
        assertThat(read(waitingForAdam).get("worker_id").isNull()).isTrue();

        // 2. adam arrives: his waiting job and every new one aimed at him run on him
        adam = worker("adam");
        assertThat(adam.workerId()).isEqualTo("adam");
        assertThat(adam.jobQueues()).containsExactly("gh-worker-adam", TaskQueues.SHARED);
        assertThat(completed(waitingForAdam).path("worker_id").asString()).isEqualTo("adam");
        List<String> forAdam = new ArrayList<>();
        List<String> shared = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            forAdam.add(create("adam"));
            shared.add(create(null));
        }
        String forSarah = create("sarah", "strict");
        for (String id : forAdam) {
            JsonNode job = completed(id);
            assertThat(job.path("worker_id").asString())
                    .as("job %s targeted at adam", id)
                    .isEqualTo("adam");
            assertThat(job.path("target_worker_id").asString()).isEqualTo("adam");
        }
        for (String id : shared) {
            assertThat(completed(id).path("worker_id").asString()).isIn(Set.of("adam", anonymous.workerId()));
        }

        // 3. the anonymous worker leaves: shared work goes to adam
        anonymous.close();
        String sharedAfter = create(null);
        assertThat(completed(sharedAfter).path("worker_id").asString()).isEqualTo("adam");

        // workflows orchestrate from the shared queue; the claim waits on the target's queue, and
        // nobody serves sarah, so her strict job waits untouched
        assertThat(taskQueueOf(forAdam.get(0))).isEqualTo(TaskQueues.SHARED);
        assertThat(taskQueueOf(forSarah)).isEqualTo(TaskQueues.SHARED);
        assertThat(read(forSarah).path("status").asString()).isEqualTo("queued");
        assertThat(read(forSarah).get("worker_id").isNull()).isTrue();

        // the worker's status port answers
        ApiClient.Answer status = stack.api()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adam.statusPort() + "/worker/status")));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("worker_id").asString()).isEqualTo("adam");
        assertThat(status.json().path("task_queues").toString()).contains("gh-worker-adam");
        ApiClient.Answer health = stack.api()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adam.statusPort() + "/worker/health")));
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("idle");
    }

    private String taskQueueOf(String jobId) {
        return temporal.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(temporal.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("gh-job-" + jobId))
                        .build())
                .getExecutionConfig()
                .getTaskQueue()
                .getName();
    }
}
