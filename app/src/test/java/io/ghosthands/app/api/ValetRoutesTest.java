package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.temporaldev.TemporalDevServer;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The VALET routes as the real client calls them (reference/valet-client.md), and monitoring. */
class ValetRoutesTest extends ApiTestBase {

    /** What VALET's submitApplication really sends, sloppy parts included. */
    private String realClientApply(String taskId, String url) {
        return "{\"valet_task_id\":\"" + taskId + "\",\"valet_user_id\":\"00000000-0000-0000-0000-000000000001\","
                + "\"target_url\":\"" + url + "\",\"platform\":\"unknown\",\"resume\":{\"storage_path\":\"\"},"
                + "\"profile\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"\",\"phone\":\"+44 20 7946 0000\","
                + "\"linkedin_url\":\"linkedin.com/in/ada\",\"portfolio_url\":\"ada.dev\",\"years_of_experience\":4.5,"
                + "\"education\":[{\"institution\":\"UCL\",\"degree\":\"\",\"field\":\"Maths\",\"graduation_year\":0}],"
                + "\"work_history\":[{\"company\":\"Analytical\",\"title\":\"Engineer\",\"start_date\":\"2020-01\"}],"
                + "\"skills\":[\"Java\"]},\"qa_answers\":{\"Are you authorized to work?\":\"Yes\"},"
                + "\"callback_url\":\"http://localhost:8000/api/v1/webhooks/ghosthands?token=s%3Dcret\","
                + "\"quality\":\"speed\",\"model\":\"m\",\"max_retries\":1}";
    }

    @Test
    void theRealClientsApplyIsAcceptedAndRuns() {
        String taskId = UUID.randomUUID().toString();
        Answer created = api.post("/api/v1/gh/valet/apply", realClientApply(taskId, pages.url("/job")));
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        String id = created.json().path("job_id").asString();
        assertThat(created.json().path("valet_task_id").asString()).isEqualTo(taskId);
        assertThat(created.json().path("status").asString()).isIn("pending", "queued");

        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("job_type").asString()).isEqualTo("apply");
        assertThat(job.path("created_by").asString()).isEqualTo("valet");
        assertThat(job.path("valet_task_id").asString()).isEqualTo(taskId);
        assertThat(job.path("user_id").asString()).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(job.path("max_retries").asInt()).isEqualTo(1);
        assertThat(job.path("callback_url").asString()).endsWith("?token=s%3Dcret");
        assertThat(job.path("input_data").path("user_data").path("first_name").asString())
                .isEqualTo("Ada");
        assertThat(job.path("input_data")
                        .path("user_data")
                        .path("years_of_experience")
                        .asDouble())
                .isEqualTo(4.5);
        assertThat(job.path("input_data")
                        .path("qa_overrides")
                        .path("Are you authorized to work?")
                        .asString())
                .isEqualTo("Yes");
        assertThat(job.path("input_data").path("platform").asString()).isEqualTo("other");
        assertThat(job.path("resume_ref").path("storage_path").asString()).isEmpty();
        assertThat(job.path("metadata").path("source").asString()).isEqualTo("valet");
        assertThat(job.path("tags").toString()).contains("valet");

        api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60));
        Answer status = api.get("/api/v1/gh/valet/status/" + id);
        assertThat(status.status()).isEqualTo(200);
        JsonNode s = status.json();
        assertThat(s.path("job_id").asString()).isEqualTo(id);
        assertThat(s.path("valet_task_id").asString()).isEqualTo(taskId);
        assertThat(s.path("status").asString()).isEqualTo("completed");
        assertThat(s.path("timestamps").isObject()).isTrue();
        assertThat(s.path("timestamps").path("completed_at").asString()).endsWith("Z");
        // no error: null, since VALET takes any error object for a failure (a failed job's is below)
        assertThat(s.has("error")).isTrue();
        assertThat(s.get("error").isNull()).as("%s", s.get("error")).isTrue();
        assertThat(s.path("cost").path("total_cost_usd").isNumber()).isTrue();
        assertThat(s.path("cost").has("action_count")).isTrue();
        assertThat(s.path("cost").has("total_tokens")).isTrue();
        assertThat(s.has("target_worker_id")).isTrue();
        // the apply engine followed the posting's Apply link, filled the form and submitted it
        assertThat(s.path("result").path("submitted").asBoolean()).isTrue();
        assertThat(s.path("result").path("fields_filled").path("First name").asString())
                .isEqualTo("Ada");
        assertThat(s.path("result").path("confirmation_id").asString()).isEqualTo("ACME-7");
        assertThat(s.path("result").path("screenshot_url").asString()).contains("/api/v1/gh/artifacts/");
        // the fields filled and the clicks made, as the completed callback's cost said
        assertThat(s.path("cost").path("action_count").asInt())
                .isPositive()
                .isEqualTo(jdbc.queryForObject(
                        "SELECT action_count FROM gh_automation_jobs WHERE id = ?::uuid", Integer.class, id));
    }

    @Test
    void aFailedJobsStatusHasItsErrorWithCodeAndMessage() {
        String id = api.post(
                        "/api/v1/gh/valet/apply",
                        realClientApply("task-" + UUID.randomUUID(), pages.url("/gone"))
                                .replace("\"max_retries\":1", "\"max_retries\":0"))
                .json()
                .path("job_id")
                .asString();
        api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60));
        JsonNode s = api.get("/api/v1/gh/valet/status/" + id).json();
        assertThat(s.path("status").asString()).isEqualTo("failed");
        assertThat(s.path("error").isObject()).isTrue();
        assertThat(s.path("error").path("code").asString()).isEqualTo("page_load_failed");
        assertThat(s.path("error").path("message").asString()).contains("404");
        assertThat(s.path("error").has("details")).isTrue();
        // a job still waiting has no error
        String waiting = api.post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank")
                                + "\",\"target_worker_id\":\"nobody\"}")
                .json()
                .path("id")
                .asString();
        assertThat(api.get("/api/v1/gh/valet/status/" + waiting)
                        .json()
                        .get("error")
                        .isNull())
                .isTrue();
        api.post("/api/v1/gh/jobs/" + waiting + "/cancel", "");
    }

    @Test
    void theSeedsCurlExamplesWorkVerbatim() {
        String routed =
                "{\n    \"valet_task_id\": \"test-123\",\n    \"valet_user_id\": \"00000000-0000-0000-0000-000000000001\",\n"
                        + "    \"target_url\": \"https://example.com/careers\",\n    \"profile\": {\n      \"first_name\": \"Test\",\n"
                        + "      \"last_name\": \"User\",\n      \"email\": \"test@example.com\"\n    },\n    \"target_worker_id\": \"adam\"\n  }";
        Answer a = api.post("/api/v1/gh/valet/apply", routed);
        assertThat(a.status()).isEqualTo(201);
        assertThat(api.get("/api/v1/gh/jobs/" + a.json().path("job_id").asString())
                        .json()
                        .path("target_worker_id")
                        .asString())
                .isEqualTo("adam");
        String any = routed.replace(",\n    \"target_worker_id\": \"adam\"", "").replace("test-123", "test-456");
        Answer b = api.post("/api/v1/gh/valet/apply", any);
        assertThat(b.status()).isEqualTo(201);
        assertThat(api.get("/api/v1/gh/jobs/" + b.json().path("job_id").asString())
                        .json()
                        .get("target_worker_id")
                        .isNull())
                .isTrue();
        Answer status =
                api.get("/api/v1/gh/valet/status/" + b.json().path("job_id").asString());
        assertThat(status.status()).isEqualTo(200);
        api.post("/api/v1/gh/jobs/" + a.json().path("job_id").asString() + "/cancel", "");
    }

    @Test
    void aGenericTaskIsAccepted() {
        Answer created = api.post(
                "/api/v1/gh/valet/task",
                "{\"valet_task_id\":\"t-1\",\"valet_user_id\":\"u-1\",\"job_type\":\"custom\",\"target_url\":\""
                        + pages.url("/blank")
                        + "\",\"task_description\":\"Google search integration test: x\",\"callback_url\":\"http://localhost:8000/cb?token=t\","
                        + "\"max_retries\":1,\"worker_affinity\":\"strict\"}");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        JsonNode job = api.get(
                        "/api/v1/gh/jobs/" + created.json().path("job_id").asString())
                .json();
        assertThat(job.path("job_type").asString()).isEqualTo("custom");
        assertThat(job.path("worker_affinity").asString()).isEqualTo("strict");
        assertThat(job.path("input_data").path("valet_user_id").asString()).isEqualTo("u-1");
        assertThat(job.get("user_id").isNull()).isTrue();

        Answer bad = api.post(
                "/api/v1/gh/valet/task", "{\"job_type\":\"dance\",\"target_url\":\"nope\",\"input_data\":[1]}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("details").findValuesAsString("field"))
                .contains("job_type", "target_url", "input_data");
    }

    @Test
    void aDuplicateApplyIs409WithTheJobId() {
        String body = realClientApply("dup", pages.url("/blank"))
                .replace("\"max_retries\":1", "\"idempotency_key\":\"valet-" + UUID.randomUUID() + "\"");
        Answer first = api.post("/api/v1/gh/valet/apply", body);
        Answer second = api.post("/api/v1/gh/valet/apply", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("job_id").asString())
                .isEqualTo(first.json().path("job_id").asString());
        assertThat(second.json().path("valet_task_id").asString()).isEqualTo("dup");
        assertThat(second.json().path("duplicate").asBoolean()).isTrue();
        assertThat(second.json().path("status").asString()).isNotEmpty();
    }

    @Test
    void aValetTaskHasOneJobWhileThatJobIsActiveAndANewOneOnceItEndedWithoutSubmitting() {
        String task = "task-" + UUID.randomUUID();
        // aimed at a worker that never comes: it stays queued
        String waiting = realClientApply(task, pages.url("/blank"))
                .replace("\"quality\"", "\"target_worker_id\":\"nobody\",\"worker_affinity\":\"strict\",\"quality\"");
        Answer first = api.post("/api/v1/gh/valet/apply", waiting);
        assertThat(first.status()).as("%s", first.json()).isEqualTo(201);
        String firstId = first.json().path("job_id").asString();

        Answer again = api.post("/api/v1/gh/valet/apply", waiting);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("job_id").asString()).isEqualTo(firstId);
        assertThat(again.json().path("valet_task_id").asString()).isEqualTo(task);
        assertThat(again.json().path("status").asString()).isIn("pending", "queued");
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("error").asString()).isEqualTo("duplicate_valet_task");
        // the generic route is the same task's job too
        Answer viaTask = api.post(
                "/api/v1/gh/valet/task",
                "{\"valet_task_id\":\"" + task + "\",\"valet_user_id\":\"u-1\","
                        + "\"job_type\":\"custom\",\"target_url\":\"" + pages.url("/blank") + "\"}");
        assertThat(viaTask.status()).isEqualTo(409);
        assertThat(viaTask.json().path("job_id").asString()).isEqualTo(firstId);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM gh_automation_jobs WHERE valet_task_id = ?", Integer.class, task))
                .isOne();

        // cancelled (nothing submitted): VALET may try again
        assertThat(api.post("/api/v1/gh/jobs/" + firstId + "/cancel", "").status())
                .isEqualTo(200);
        String failing = realClientApply(task, pages.url("/gone")).replace("\"max_retries\":1", "\"max_retries\":0");
        Answer second = api.post("/api/v1/gh/valet/apply", failing);
        assertThat(second.status()).as("%s", second.json()).isEqualTo(201);
        String secondId = second.json().path("job_id").asString();
        assertThat(secondId).isNotEqualTo(firstId);
        assertThat(api.post("/api/v1/gh/valet/apply", failing)
                        .json()
                        .path("job_id")
                        .asString())
                .isEqualTo(secondId);

        // failed before any submit (the page answered 404): again a new job is allowed
        JsonNode failed = api.awaitJob(secondId, ApiClient::terminal, Duration.ofSeconds(60));
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        Answer third = api.post("/api/v1/gh/valet/apply", waiting);
        assertThat(third.status()).as("%s", third.json()).isEqualTo(201);
        assertThat(third.json().path("job_id").asString()).isNotIn(firstId, secondId);
        api.post("/api/v1/gh/jobs/" + third.json().path("job_id").asString() + "/cancel", "");
    }

    @Test
    void applyRejectsWhatItCannotUse() {
        Answer bad = api.post(
                "/api/v1/gh/valet/apply",
                "{\"target_url\":\"javascript:alert(1)\",\"profile\":\"me\",\"quality\":\"best\",\"priority\":11}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("details").findValuesAsString("field"))
                .contains("target_url", "profile", "quality", "priority");
        assertThat(api.post("/api/v1/gh/valet/apply", "not json").status()).isEqualTo(400);
    }

    @Test
    void resumeOnAJobThatIsNotPausedIs409AndOnAnUnknownJob404() {
        String id = api.post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank")
                                + "\",\"target_worker_id\":\"nobody\"}")
                .json()
                .path("id")
                .asString();
        Answer resume = api.post("/api/v1/gh/valet/resume/" + id, "");
        assertThat(resume.status()).isEqualTo(409);
        assertThat(resume.json().path("error").asString()).isEqualTo("not_paused");
        assertThat(resume.json().path("message").asString()).matches("Job is (pending|queued), not paused");
        Answer withBody = api.post(
                "/api/v1/gh/valet/resume/" + id,
                "{\"resolved_by\":\"human\",\"notes\":\"done\",\"resolution_type\":\"manual\",\"resolution_data\":{}}");
        assertThat(withBody.status()).isEqualTo(409);
        assertThat(api.post("/api/v1/gh/valet/resume/" + id, "{\"action\":\"explode\"}")
                        .status())
                .isEqualTo(422);
        assertThat(api.post("/api/v1/gh/valet/resume/" + UUID.randomUUID(), "{}")
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/gh/valet/status/" + UUID.randomUUID()).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/gh/valet/status/xyz").status()).isEqualTo(404);
    }

    @Test
    void deregisterMarksWorkersOfflineAndCancelsTheirJobs() {
        String name = "sandbox-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update(
                "INSERT INTO gh_worker_registry (worker_id, target_worker_id, status, host) VALUES (?, ?, 'active', 'h')",
                name,
                name);
        String id = api.post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank")
                                + "\",\"target_worker_id\":\"" + name + "\"}")
                .json()
                .path("id")
                .asString();

        Answer answer = api.post(
                "/api/v1/gh/valet/workers/deregister",
                "{\"target_worker_id\":\"" + name
                        + "\",\"reason\":\"sandbox terminated\",\"cancel_active_jobs\":true}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("deregistered_workers").toString()).contains(name);
        assertThat(answer.json().path("cancelled_job_ids").toString()).contains(id);
        assertThat(answer.json().path("reason").asString()).isEqualTo("sandbox terminated");
        // and under the names VALET's client reads
        assertThat(answer.json().path("deregistered").toString()).contains(name);
        assertThat(answer.json().path("cancelled_jobs").toString()).contains(id);
        assertThat(jdbc.queryForObject("SELECT status FROM gh_worker_registry WHERE worker_id = ?", String.class, name))
                .isEqualTo("offline");
        assertThat(api.get("/api/v1/gh/jobs/" + id).json().path("status").asString())
                .isEqualTo("cancelled");
        assertThat(api.post("/api/v1/gh/valet/workers/deregister", "{}").status())
                .isEqualTo(422);
    }

    @Test
    void monitoringIsOpenAndSaysHowThingsAre() {
        Answer health = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/health")));
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("healthy");
        // checks: an array of {name, status, message?, latencyMs}, as VALET's client types it
        assertThat(health.json().path("checks").isArray()).isTrue();
        assertThat(health.json().path("checks").findValuesAsString("name"))
                .containsExactly("database", "temporal", "workers");
        for (JsonNode check : health.json().path("checks")) {
            assertThat(check.path("status").asString()).as("%s", check).isEqualTo("healthy");
            assertThat(check.path("latencyMs").isIntegralNumber()).isTrue();
        }
        assertThat(health.json().path("version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(health.json().path("uptime").isIntegralNumber()).isTrue();

        Answer metrics = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/metrics")));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.raw().headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain");
        String text = new String(metrics.raw().body());
        assertThat(text)
                .contains("# TYPE gh_jobs gauge")
                .containsPattern("gh_jobs\\{status=\"completed\"\\} \\d+")
                .contains("gh_workers{status=\"active\"}");

        Answer workers = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/workers")));
        assertThat(workers.status()).isEqualTo(200);
        assertThat(workers.json().path("active").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode mine = null;
        for (JsonNode w : workers.json().path("workers")) {
            if (w.path("worker_id")
                    .asString()
                    .equals(stack.bean(WorkerRuntime.class).workerId())) {
                mine = w;
            }
        }
        assertThat(mine).isNotNull();
        // what VALET reads of each worker; no EC2 identity is configured here, and none is guessed
        assertThat(mine.has("ec2_instance_id") && mine.get("ec2_instance_id").isNull())
                .isTrue();
        assertThat(mine.has("ec2_ip") && mine.get("ec2_ip").isNull()).isTrue();
        assertThat(mine.path("uptime_seconds").isIntegralNumber()).isTrue();
        assertThat(mine.path("status").asString()).isEqualTo("active");
        // a worker whose heartbeat stopped two minutes ago shows as offline
        String stale = "stale-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.update(
                "INSERT INTO gh_worker_registry (worker_id, status, last_heartbeat) VALUES (?, 'active', now() - interval '3 minutes')",
                stale);
        JsonNode listed = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/workers")))
                .json();
        for (JsonNode w : listed.path("workers")) {
            if (w.path("worker_id").asString().equals(stale)) {
                assertThat(w.path("status").asString()).isEqualTo("offline");
            }
        }
        assertThat(listed.path("workers").findValuesAsString("worker_id")).contains(stale);

        // a draining worker is listed as such and not counted among the workers taking jobs
        String draining = "draining-" + UUID.randomUUID().toString().substring(0, 8);
        long activeBefore = listed.path("active").asLong();
        jdbc.update(
                "INSERT INTO gh_worker_registry (worker_id, status, last_heartbeat) VALUES (?, 'draining', now())",
                draining);
        try {
            JsonNode now = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/workers")))
                    .json();
            assertThat(now.path("active").asLong()).isEqualTo(activeBefore);
            assertThat(now.path("draining").asLong()).isGreaterThanOrEqualTo(1);
            for (JsonNode w : now.path("workers")) {
                if (w.path("worker_id").asString().equals(draining)) {
                    assertThat(w.path("status").asString()).isEqualTo("draining");
                }
            }
        } finally {
            jdbc.update("DELETE FROM gh_worker_registry WHERE worker_id = ?", draining);
        }
    }

    @Test
    void theMetricsSayWhatHappenedInTheShapeValetReads() {
        JsonNode before = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/metrics/json")))
                .json();
        // jobs of other tests of this shared stack may end while this runs: the metrics are read between two
        // counts of the table, and created/completed/failed only grow, so each lies between its two counts
        Map<String, Long> rowsBefore = terminalCounts();
        // three requests, two of them refused: 404 and 422
        assertThat(api.get("/api/v1/gh/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/gh/jobs", "{}").status()).isEqualTo(422);
        assertThat(api.get("/api/v1/gh/jobs?limit=1").status()).isEqualTo(200);
        JsonNode after = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/metrics/json")))
                .json();
        Map<String, Long> rowsAfter = terminalCounts();

        // the metrics request before counts too: it had ended when the second one was answered
        assertThat(after.path("api").path("totalRequests").asLong()
                        - before.path("api").path("totalRequests").asLong())
                .isEqualTo(4);
        assertThat(after.path("api").path("totalErrors").asLong()
                        - before.path("api").path("totalErrors").asLong())
                .isEqualTo(2);
        assertThat(after.path("llm").path("calls").asInt(-1))
                .as("no model is ever called")
                .isZero();
        for (String key : List.of("created", "completed", "failed")) {
            assertThat(after.path("jobs").path(key).asLong())
                    .as(key)
                    .isBetween(rowsBefore.get(key), rowsAfter.get(key));
        }
        JsonNode worker = after.path("worker");
        assertThat(worker.path("activeJobs").isIntegralNumber()).isTrue();
        // the one live worker of this stack, with its 2 browser lanes
        assertThat(worker.path("maxConcurrent").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(worker.path("totalProcessed").asLong())
                .isBetween(rowsBefore.get("processed"), rowsAfter.get("processed"));
        assertThat(worker.path("queueDepth").isIntegralNumber()).isTrue();
        assertThat(after.path("uptime").isIntegralNumber()).isTrue();

        String text = new String(api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/metrics")))
                .raw()
                .body());
        assertThat(text)
                .containsPattern("gh_api_requests_total \\d+")
                .containsPattern("gh_api_errors_total \\d+")
                .contains("gh_llm_calls_total 0")
                .containsPattern("gh_worker_queue_depth \\d+");
    }

    private Map<String, Long> terminalCounts() {
        Map<String, Object> row = jdbc.queryForMap("SELECT count(*) AS created,"
                + " count(*) FILTER (WHERE status = 'completed') AS completed,"
                + " count(*) FILTER (WHERE status = 'failed') AS failed,"
                + " (SELECT coalesce(sum(jobs_completed + jobs_failed), 0) FROM gh_worker_registry) AS processed"
                + " FROM gh_automation_jobs");
        Map<String, Long> counts = new HashMap<>();
        row.forEach((k, v) -> counts.put(k, ((Number) v).longValue()));
        return counts;
    }

    @Test
    void theWorkersOwnPortAnswersWhatValetReads() {
        WorkerRuntime worker = stack.bean(WorkerRuntime.class);
        JsonNode status = api.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + worker.statusPort() + "/worker/status")))
                .json();
        assertThat(status.path("worker_id").asString()).isEqualTo(worker.workerId());
        assertThat(status.path("active_jobs").isIntegralNumber()).isTrue();
        assertThat(status.path("is_draining").isBoolean()).isTrue();
        assertThat(status.path("is_draining").asBoolean()).isFalse();
        assertThat(status.path("uptime_ms").asLong()).isPositive();
        Answer health = api.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.statusPort() + "/worker/health")));
        assertThat(health.json().path("status").asString()).isIn("idle", "busy");
        assertThat(health.status())
                .isEqualTo(health.json().path("status").asString().equals("idle") ? 200 : 503);
        assertThat(health.json().path("deploy_safe").isBoolean()).isTrue();
        assertThat(health.json().path("deploy_safe").asBoolean())
                .isEqualTo(health.json().path("active_jobs").asInt() == 0);
    }

    @Test
    void alertsNameRunningJobsThatLostTheirHeartbeatAndNothingOnceTheyAreGone() {
        UUID lost = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO gh_automation_jobs (id, job_type, target_url, task_description, status, started_at,"
                        + " last_heartbeat, created_by) VALUES (?, 'scrape', 'http://127.0.0.1:9/x', 'alerts', 'running',"
                        + " now() - interval '10 minutes', now() - interval '5 minutes', 'test')",
                lost);
        try {
            Answer alerts = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/alerts")));
            assertThat(alerts.status()).isEqualTo(200);
            JsonNode staleAlert = null;
            for (JsonNode a : alerts.json().path("alerts")) {
                if (a.path("type").asString().equals("stale_running_jobs")) {
                    staleAlert = a;
                }
            }
            assertThat(staleAlert).as("%s", alerts.json()).isNotNull();
            assertThat(staleAlert.path("severity").asString()).isEqualTo("warning");
            assertThat(staleAlert.path("job_ids").toString()).contains(lost.toString());
            assertThat(alerts.json().path("count").asInt())
                    .isEqualTo(alerts.json().path("alerts").size());
        } finally {
            jdbc.update("DELETE FROM gh_automation_jobs WHERE id = ?", lost);
        }
        JsonNode after = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/alerts")))
                .json();
        assertThat(after.path("alerts").toString()).doesNotContain(lost.toString());
    }

    @Test
    void withTheDevServerInThisJvmTheStackTalksToItInProcessAndOthersStillUseItsPort() {
        WorkflowServiceStubs stubs = stack.bean(WorkflowServiceStubs.class);
        assertThat(stubs.getOptions().getChannel()).as("the in-process channel").isNotNull();
        assertThat(stubs.getOptions().getTarget()).isNull();
        // the same server over TCP, as a worker in another process sees it
        assertThat(TemporalDevServer.probe(
                        "127.0.0.1", Integer.parseInt(TestTemporal.address().split(":")[1])))
                .isEqualTo(TemporalDevServer.Probe.TEMPORAL);
    }

    @Test
    void theModelCatalogueIsPublicAndHasTheFieldsValetReads() {
        Answer models = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/gh/models")));
        assertThat(models.status()).isEqualTo(200);
        JsonNode m = models.json().path("models").get(0);
        assertThat(m.path("model").asString()).isNotBlank();
        assertThat(m.path("provider").asString()).isNotBlank();
        assertThat(m.path("cost").path("unit").asString()).isEqualTo("$/M tokens");
        assertThat(models.json().path("total").asInt())
                .isEqualTo(models.json().path("models").size());
        // every preset names a model of the catalogue, and so does the default
        String alias = m.path("alias").asString();
        assertThat(models.json().path("default").asString()).isEqualTo(alias);
        assertThat(models.json().path("presets").findValuesAsString("model")).containsOnly(alias);
        // with the key, as VALET sends it on every call, it answers the same
        assertThat(api.get("/api/v1/gh/models").status()).isEqualTo(200);
    }

    private Answer delete(String path) {
        return api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                .DELETE());
    }

    @Test
    void savedSessionsAreTrulyNoneInBothFormsValetCalls() {
        Answer list = api.get("/api/v1/gh/sessions?user_id=u-1");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("sessions").isArray()).isTrue();
        assertThat(list.json().path("sessions").size()).isZero();
        assertThat(list.json().path("total").asInt()).isZero();

        Answer one = delete("/api/v1/gh/sessions?user_id=u-1&domain=greenhouse.io");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("deleted").asBoolean(true)).isFalse();
        assertThat(one.json().has("session_id")).isTrue();
        Answer all = delete("/api/v1/gh/sessions?user_id=u-1&all=true");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().path("deleted_count").asInt(-1)).isZero();
        assertThat(all.json().path("user_id").asString()).isEqualTo("u-1");

        Answer noUser = api.get("/api/v1/gh/sessions");
        assertThat(noUser.status()).isEqualTo(422);
        assertThat(noUser.json().path("details").findValuesAsString("field")).containsExactly("user_id");
        Answer neither = delete("/api/v1/gh/sessions?user_id=u-1");
        assertThat(neither.status()).isEqualTo(422);
        assertThat(neither.json().path("details").findValuesAsString("field")).containsExactly("domain");
        Answer badAll = delete("/api/v1/gh/sessions?user_id=u-1&all=yes");
        assertThat(badAll.status()).isEqualTo(422);
        assertThat(badAll.json().path("details").findValuesAsString("field")).containsExactly("all");

        Answer byPath = api.get("/api/v1/gh/valet/sessions/u-1");
        assertThat(byPath.status()).isEqualTo(200);
        assertThat(byPath.json().path("count").asInt(-1)).isZero();
        assertThat(byPath.json().path("sessions").size()).isZero();
        assertThat(delete("/api/v1/gh/valet/sessions/u-1/greenhouse.io")
                        .json()
                        .path("deleted")
                        .asBoolean(true))
                .isFalse();
        assertThat(delete("/api/v1/gh/valet/sessions/u-1")
                        .json()
                        .path("deleted_count")
                        .asInt(-1))
                .isZero();

        // the key is required, as on every API route but the model catalogue
        Answer noKey = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/gh/sessions?user_id=u-1")));
        assertThat(noKey.status()).isEqualTo(401);
    }
}
