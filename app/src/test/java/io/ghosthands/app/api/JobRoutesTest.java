package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.worker.WorkerRuntime;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code /jobs} routes beyond create and get: list, status, events, cancel, retry, batch. */
class JobRoutesTest extends ApiTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private String job(String path, String extra) {
        return create("{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url(path) + "\"" + extra + "}");
    }

    @Test
    void listFiltersSortsAndPaginates() {
        String tag = "w-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            job("/blank", ",\"job_type\":\"custom\",\"target_worker_id\":\"" + tag + "\"");
        }
        Answer page1 = api.get("/api/v1/gh/jobs?target_worker_id=" + tag + "&limit=2&sort=created_at:asc");
        assertThat(page1.status()).isEqualTo(200);
        assertThat(page1.json().path("total").asInt()).isEqualTo(3);
        assertThat(page1.json().path("limit").asInt()).isEqualTo(2);
        assertThat(page1.json().path("jobs").size()).isEqualTo(2);
        Answer page2 = api.get("/api/v1/gh/jobs?target_worker_id=" + tag + "&limit=2&offset=2&sort=created_at:asc");
        assertThat(page2.json().path("jobs").size()).isEqualTo(1);
        assertThat(page2.json().path("jobs").get(0).path("created_at").asString())
                .isGreaterThanOrEqualTo(
                        page1.json().path("jobs").get(1).path("created_at").asString());
        Answer queued = api.get("/api/v1/gh/jobs?target_worker_id=" + tag + "&status=queued,pending&job_type=custom");
        assertThat(queued.json().path("total").asInt()).isEqualTo(3);
        assertThat(api.get("/api/v1/gh/jobs?target_worker_id=" + tag + "&status=completed")
                        .json()
                        .path("total")
                        .asInt())
                .isZero();

        Answer bad = api.get("/api/v1/gh/jobs?limit=0&status=nope&sort=password:asc&offset=-1");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("details").findValuesAsString("field"))
                .contains("limit", "status", "sort", "offset");
    }

    @Test
    void answersGoOutWholeWithTheirLength() {
        Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + pages.url("/blank") + "\",\"target_worker_id\":\"nobody-"
                        + UUID.randomUUID() + "\"}");
        Answer invalid = api.post("/api/v1/gh/jobs", "{\"job_type\":\"nope\"}");
        Answer missing = api.get("/api/v1/gh/jobs/" + UUID.randomUUID());
        for (Answer a : List.of(created, invalid, missing)) {
            // JSON written by Spring is flushed before the request ends; the answer must still carry its
            // length rather than go out chunked
            assertThat(a.raw().headers().firstValue("Content-Length"))
                    .as("status %d", a.status())
                    .hasValueSatisfying(length -> assertThat(Integer.parseInt(length))
                            .isEqualTo(a.raw().body().length));
            assertThat(a.raw().headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(a.json()).isNotNull();
        }
        assertThat(List.of(created.status(), invalid.status(), missing.status()))
                .containsExactly(201, 422, 404);
    }

    @Test
    void statusAndEventsDescribeAJob() {
        String id = job("/job", "");
        api.awaitJob(id, ApiClient::terminal, WAIT);
        Answer status = api.get("/api/v1/gh/jobs/" + id + "/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("id").asString()).isEqualTo(id);
        assertThat(status.json().path("status").asString()).isEqualTo("completed");
        assertThat(status.json().has("last_heartbeat")).isTrue();
        assertThat(status.json().path("completed_at").isNull()).isFalse();

        Answer events = api.get("/api/v1/gh/jobs/" + id + "/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json().path("total").asInt()).isGreaterThanOrEqualTo(4);
        List<String> types = events.json().path("events").findValuesAsString("event_type");
        assertThat(types).containsSubsequence("job_created", "job_started", "job_completed");
        assertThat(api.get("/api/v1/gh/jobs/" + id + "/events?limit=1")
                        .json()
                        .path("events")
                        .size())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/gh/jobs/" + id + "/events?limit=201").status())
                .isEqualTo(422);
        assertThat(api.get("/api/v1/gh/jobs/" + UUID.randomUUID() + "/events").status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/gh/jobs/" + UUID.randomUUID() + "/status").status())
                .isEqualTo(404);
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndOnlyOnce() {
        String id = job("/blank", ",\"target_worker_id\":\"nobody-" + UUID.randomUUID() + "\"");
        Answer cancel = api.post("/api/v1/gh/jobs/" + id + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("id").asString()).isEqualTo(id);
        assertThat(cancel.json().path("status").asString()).isEqualTo("cancelled");
        assertThat(cancel.json().path("cancelled_at").asString()).endsWith("Z");
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("status").asString()).isEqualTo("cancelled");
        assertThat(job.path("completed_at").isNull()).isFalse();
        // nobody serves its queue, so the workflow is ended outright rather than asked to cancel; a job
        // cancelled before the dispatcher started its workflow never gets one
        awaitWorkflowEndedOrNeverStarted(id);

        Answer again = api.post("/api/v1/gh/jobs/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").asString()).isEqualTo("job_not_cancellable");
        assertThat(again.json().path("current_status").asString()).isEqualTo("cancelled");
        assertThat(api.post("/api/v1/gh/jobs/" + UUID.randomUUID() + "/cancel", "")
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/gh/jobs/nope/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void cancellingARunningJobStopsItsBrowserWithinTwoSeconds() throws Exception {
        WorkerRuntime worker = stack.bean(WorkerRuntime.class);
        String id = job("/slow", "");
        api.awaitJob(id, j -> j.path("status").asString().equals("running"), WAIT);
        Thread.sleep(300); // the browser step is under way

        long t0 = System.nanoTime();
        Answer cancel = api.post("/api/v1/gh/jobs/" + id + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        awaitWorkflow(id, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
        // the browser step ended (the workflow waits for it to acknowledge) and the worker is idle
        Answer health;
        do {
            health = api.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.statusPort() + "/worker/health")));
        } while (health.status() != 200
                && System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(health.status()).isEqualTo(200);
        assertThat(took).isLessThan(Duration.ofMillis(2500));
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("status").asString()).isEqualTo("cancelled");
        assertThat(jdbc.queryForList(
                        "SELECT event_type FROM gh_job_events WHERE job_id = ?", String.class, UUID.fromString(id)))
                .contains("job_cancelled");
    }

    @Test
    void retryingAFailedJobRunsItAgainUnderTheSameId() {
        String path = "/flaky/" + UUID.randomUUID();
        String id = job(path, ",\"max_retries\":0");
        JsonNode failed = api.awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(failed.path("status").asString()).isEqualTo("failed");

        Answer retry = api.post("/api/v1/gh/jobs/" + id + "/retry", "");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().path("id").asString()).isEqualTo(id);
        assertThat(retry.json().path("retry_count").asInt()).isEqualTo(1);
        assertThat(retry.json().path("status").asString()).isIn("queued", "pending");

        JsonNode done = api.awaitJob(id, j -> j.path("status").asString().equals("completed"), WAIT);
        assertThat(done.path("result_data").path("page_title").asString()).isEqualTo("Recovered");
        assertThat(done.path("retry_count").asInt()).isEqualTo(1);
        assertThat(done.path("error_code").isNull()).isTrue();
        assertThat(jdbc.queryForList(
                        "SELECT event_type FROM gh_job_events WHERE job_id = ? ORDER BY created_at",
                        String.class,
                        UUID.fromString(id)))
                .containsSubsequence("job_started", "job_failed", "job_retried", "job_started", "job_completed");

        Answer notRetryable = api.post("/api/v1/gh/jobs/" + id + "/retry", "");
        assertThat(notRetryable.status()).isEqualTo(409);
        assertThat(notRetryable.json().path("error").asString()).isEqualTo("job_not_retryable");
        assertThat(notRetryable.json().path("current_status").asString()).isEqualTo("completed");
    }

    @Test
    void aBatchIsAllOrNothing() {
        Answer ok = api.post(
                "/api/v1/gh/jobs/batch",
                "{\"defaults\":{\"job_type\":\"scrape\",\"priority\":3,\"tags\":[\"b\"]},\"jobs\":["
                        + "{\"target_url\":\"" + pages.url("/blank") + "\"},"
                        + "{\"target_url\":\"" + pages.url("/job") + "\",\"priority\":1},"
                        + "{\"target_url\":\"" + pages.url("/blank") + "\",\"target_worker_id\":\"nobody\"}]}");
        assertThat(ok.status()).as("%s", ok.json()).isEqualTo(201);
        assertThat(ok.json().path("created").asInt()).isEqualTo(3);
        List<String> ids =
                ok.json().path("job_ids").valueStream().map(JsonNode::asString).toList();
        assertThat(ids).hasSize(3);
        JsonNode second = api.awaitJob(ids.get(1), ApiClient::terminal, WAIT);
        assertThat(second.path("status").asString()).isEqualTo("completed");
        assertThat(second.path("priority").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/gh/jobs/" + ids.get(0))
                        .json()
                        .path("priority")
                        .asInt())
                .isEqualTo(3);
        assertThat(api.get("/api/v1/gh/jobs/" + ids.get(2))
                        .json()
                        .path("target_worker_id")
                        .asString())
                .isEqualTo("nobody");

        int before = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);
        Answer bad = api.post(
                "/api/v1/gh/jobs/batch",
                "{\"jobs\":[{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank") + "\"},"
                        + "{\"job_type\":\"scrape\",\"target_url\":\"ftp://x\"},{\"job_type\":\"nope\",\"target_url\":\"http://a.b\"}]}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("details").findValuesAsString("field"))
                .containsExactlyInAnyOrder("jobs[1].target_url", "jobs[2].job_type");
        assertThat(api.post("/api/v1/gh/jobs/batch", "{\"jobs\":[]}").status()).isEqualTo(422);
        StringBuilder many = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("{\"job_type\":\"scrape\",\"target_url\":\"http://a.b\"}");
        }
        assertThat(api.post("/api/v1/gh/jobs/batch", many.append("]}").toString())
                        .status())
                .isEqualTo(422);
        assertThat(api.post(
                                "/api/v1/gh/jobs/batch",
                                "{\"jobs\":[{\"job_type\":\"scrape\",\"target_url\":\"http://a.b\",\"idempotency_key\":\"k\"},"
                                        + "{\"job_type\":\"scrape\",\"target_url\":\"http://a.b\",\"idempotency_key\":\"k\"}]}")
                        .status())
                .isEqualTo(422);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class))
                .isEqualTo(before);
    }

    @Test
    void jsonContentTypeOnGetAndEmptyPostIsAccepted() {
        String id = job("/blank", ",\"target_worker_id\":\"nobody\"");
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/gh/jobs/" + id))
                .header("Content-Type", "application/json")
                .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                .GET();
        assertThat(api.send(get).status()).isEqualTo(200);
        HttpRequest.Builder post = HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/api/v1/gh/jobs/" + id + "/cancel"))
                .header("Content-Type", "application/json")
                .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                .POST(HttpRequest.BodyPublishers.noBody());
        Answer cancelled = api.send(post);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json()).isNotNull();
    }

    /** The job's workflow ends terminated, or (cancelled while pending) is never started, for a whole second. */
    private static void awaitWorkflowEndedOrNeverStarted(String jobId) {
        WorkflowClient client = stack.bean(WorkflowClient.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long absentSince = 0;
        WorkflowExecutionStatus status = null;
        while (System.nanoTime() < deadline) {
            try {
                status = client.getWorkflowServiceStubs()
                        .blockingStub()
                        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                                .setNamespace(client.getOptions().getNamespace())
                                .setExecution(WorkflowExecution.newBuilder().setWorkflowId("gh-job-" + jobId))
                                .build())
                        .getWorkflowExecutionInfo()
                        .getStatus();
                absentSince = 0;
                if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED) {
                    return;
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
                absentSince = absentSince == 0 ? System.nanoTime() : absentSince;
                if (System.nanoTime() - absentSince > Duration.ofSeconds(1).toNanos()) {
                    return; // the dispatcher saw the row cancelled and started nothing
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("workflow of " + jobId + " is " + status + ", expected terminated or never started");
    }

    private static void awaitWorkflow(String jobId, WorkflowExecutionStatus expected) {
        WorkflowClient client = stack.bean(WorkflowClient.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        WorkflowExecutionStatus status = null;
        while (System.nanoTime() < deadline) {
            status = client.getWorkflowServiceStubs()
                    .blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId("gh-job-" + jobId))
                            .build())
                    .getWorkflowExecutionInfo()
                    .getStatus();
            if (status == expected) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("workflow of " + jobId + " is " + status + ", expected " + expected);
    }
}
