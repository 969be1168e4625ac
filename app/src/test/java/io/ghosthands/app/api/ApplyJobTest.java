package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.support.ApplicationSite;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An application job end to end, the way VALET sends it ({@code POST /valet/apply}): the worker
 * fetches the résumé from its download URL, fills a Greenhouse-style form (the apply engine's own
 * fixture) in real Chromium, submits once, and reports the confirmation; a retry of the finished job
 * reports the recorded outcome without submitting again.
 */
class ApplyJobTest extends ApiTestBase {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static ApplicationSite site;
    private static final List<String> callbacks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void serveSite() {
        site = new ApplicationSite();
        site.route(
                "/resume.pdf",
                ex -> ApplicationSite.send(
                        ex,
                        200,
                        "application/pdf",
                        "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1)));
        site.route("/cb", ex -> {
            callbacks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ApplicationSite.send(ex, 200, "application/json", "{\"received\":true}".getBytes(StandardCharsets.UTF_8));
        });
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    @BeforeEach
    void reset() {
        site.reset();
        callbacks.clear();
    }

    private static String url(String path) {
        return site.url(path);
    }

    private static String applyBody(String qa, String callback) {
        return "{\"valet_task_id\":\"task-" + System.nanoTime() + "\",\"valet_user_id\":\"u1\","
                + "\"target_url\":\"" + url("/greenhouse.html") + "\",\"platform\":\"greenhouse\","
                + "\"resume\":{\"download_url\":\"" + url("/resume.pdf") + "\",\"storage_path\":\"\"},"
                + "\"profile\":{\"first_name\":\"Jane\",\"last_name\":\"Doe\",\"email\":\"jane.doe@example.com\","
                + "\"phone\":\"+1 415 555 0123\",\"linkedin_url\":\"linkedin.com/in/janedoe\","
                + "\"portfolio_url\":\"https://janedoe.dev\",\"location\":{\"city\":\"San Francisco\",\"state\":\"CA\","
                + "\"country\":\"US\",\"zip\":\"94105\"},\"work_authorization\":\"US Citizen\","
                + "\"salary_expectation\":\"$150,000\",\"years_of_experience\":7.5,"
                + "\"education\":[{\"institution\":\"UC Berkeley\",\"degree\":\"BS\",\"field\":\"Computer Science\","
                + "\"graduation_year\":0}],\"skills\":[\"Java\"]},"
                + "\"qa_answers\":" + qa
                + (callback == null ? "" : ",\"callback_url\":\"" + callback + "\"") + "}";
    }

    @Test
    void anApplicationIsFilledSubmittedOnceAndARetryNeverSubmitsAgain() {
        String body = applyBody("{\"Why do you want to join Acme?\":\"The payments work.\"}", null);
        Answer created = api.post("/api/v1/gh/valet/apply", body);
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        String id = created.json().path("job_id").asString();

        JsonNode job = api.awaitJob(id, ApiClient::terminal, WAIT);

        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("completed");
        JsonNode result = job.path("result_data");
        assertThat(result.path("submitted").asBoolean()).isTrue();
        assertThat(result.path("confirmation_id").asString()).isEqualTo("GH-48213");
        assertThat(result.path("fields_filled").path("First Name").asString()).isEqualTo("Jane");
        assertThat(result.path("resume_uploaded").asBoolean()).isTrue();
        assertThat(site.submissions()).hasSize(1);
        // a multipart form: the values and the résumé's bytes as sent
        assertThat(site.submissions().get(0).text())
                .contains("jane.doe@example.com")
                .contains("The payments work.")
                .contains("%PDF-1.4")
                .contains("San Francisco, CA");
        List<String> events =
                jdbc.queryForList("SELECT event_type FROM gh_job_events WHERE job_id = ?::uuid", String.class, id);
        assertThat(events).contains("submit_started", "job_completed");
        // a trace of the job is kept
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM gh_job_artifacts WHERE job_id = ?::uuid AND kind = 'trace'",
                        Integer.class,
                        id))
                .isEqualTo(1);
        Answer trace = api.send(HttpRequest.newBuilder(
                URI.create(result.path("trace_url").asString().replace("localhost", "127.0.0.1"))));
        assertThat(trace.status()).isEqualTo(200);
        assertThat(trace.raw().headers().firstValue("Content-Type")).hasValue("application/zip");

        // the task is done: the same application again names the job that did it and applies nothing
        Answer again = api.post("/api/v1/gh/valet/apply", body);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("job_id").asString()).isEqualTo(id);
        assertThat(again.json().path("status").asString()).isEqualTo("completed");
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(site.submissions()).hasSize(1);
    }

    @Test
    void aSubmitWithoutConfirmationIsNeverRepeatedNotEvenByAManualRetry() {
        site.silent(true);
        String body = applyBody("{\"Why do you want to join Acme?\":\"The payments work.\"}", null);
        String id =
                api.post("/api/v1/gh/valet/apply", body).json().path("job_id").asString();

        JsonNode failed = api.awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(failed.path("status").asString()).as("%s", failed).isEqualTo("failed");
        assertThat(failed.path("error_code").asString()).isEqualTo("submission_unconfirmed");
        assertThat(site.submissions()).hasSize(1);

        // a manual retry must not apply a second time: the submit was recorded before the click
        assertThat(api.post("/api/v1/gh/jobs/" + id + "/retry", "").status()).isEqualTo(200);
        JsonNode again = api.awaitJob(
                id, j -> ApiClient.terminal(j) && j.path("retry_count").asInt() >= 1, WAIT);
        assertThat(again.path("status").asString()).isEqualTo("failed");
        assertThat(again.path("error_code").asString()).isEqualTo("submission_unconfirmed");
        assertThat(site.submissions()).as("never twice").hasSize(1);

        // nor by VALET sending the application again: the failed job recorded its submit
        Answer resent = api.post("/api/v1/gh/valet/apply", body);
        assertThat(resent.status()).isEqualTo(409);
        assertThat(resent.json().path("job_id").asString()).isEqualTo(id);
        assertThat(resent.json().path("status").asString()).isEqualTo("failed");
        assertThat(resent.json().path("duplicate").asBoolean()).isTrue();
        assertThat(site.submissions()).as("never twice").hasSize(1);
    }

    @Test
    void aFailedApplicationThatReachedTheSiteSaysSoInItsStatusAndItsCallback() throws Exception {
        site.silent(true);
        String body = applyBody("{\"Why do you want to join Acme?\":\"The payments work.\"}", url("/cb"));
        String id =
                api.post("/api/v1/gh/valet/apply", body).json().path("job_id").asString();

        JsonNode failed = api.awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(failed.path("status").asString()).as("%s", failed).isEqualTo("failed");
        assertThat(site.submissions()).hasSize(1);
        String submittedAt = jdbc.queryForObject(
                        "SELECT submitted_at FROM gh_automation_jobs WHERE id = ?::uuid", Timestamp.class, id)
                .toInstant()
                .toString();
        assertThat(failed.path("result_data").path("submitted_at").asString()).isEqualTo(submittedAt);
        assertThat(failed.path("result_data").path("submission_confirmed").asBoolean(true))
                .isFalse();
        // what the engine did is reported for a failed job as for a finished one: every field, the pages,
        // every screenshot (the failure's last); not copied into error_details
        JsonNode work = failed.path("result_data");
        assertThat(work.path("fields").isArray()).as("%s", work).isTrue();
        assertThat(work.path("fields").toString()).contains("First Name").contains("\"status\":\"filled\"");
        assertThat(work.path("fields_filled").toString()).contains("Jane");
        assertThat(work.path("pages_visited").asInt()).isPositive();
        assertThat(work.path("screenshot_urls").size()).isGreaterThanOrEqualTo(2);
        assertThat(failed.path("screenshot_urls").toString())
                .contains(work.path("screenshot_urls").get(0).asString());
        assertThat(failed.path("error_details").has("result_data")).isFalse();

        JsonNode jobStatus = api.get("/api/v1/gh/jobs/" + id + "/status").json();
        assertThat(jobStatus.path("submitted_at").asString())
                .as("%s", jobStatus)
                .isNotEmpty();
        assertThat(OffsetDateTime.parse(jobStatus.path("submitted_at").asString())
                        .toInstant()
                        .toString())
                .isEqualTo(submittedAt);
        assertThat(jobStatus.path("submission_confirmed").asBoolean(true)).isFalse();

        JsonNode status = api.get("/api/v1/gh/valet/status/" + id).json();
        assertThat(status.path("error").path("code").asString())
                .isEqualTo(failed.path("error_code").asString());
        assertThat(status.path("result").path("submitted_at").asString()).isEqualTo(submittedAt);
        assertThat(status.path("result").path("submission_confirmed").isBoolean())
                .isTrue();
        assertThat(status.path("result").path("submission_confirmed").asBoolean())
                .isFalse();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode failedCallback = null;
        while (failedCallback == null && System.nanoTime() < deadline) {
            for (String c : callbacks) {
                JsonNode n = JsonMapper.builder().build().readTree(c);
                if (n.path("status").asString().equals("failed")) {
                    failedCallback = n;
                }
            }
            Thread.sleep(50);
        }
        assertThat(failedCallback).as("failed callback among %s", callbacks).isNotNull();
        assertThat(failedCallback.path("result_data").path("submitted_at").asString())
                .isEqualTo(submittedAt);
        assertThat(failedCallback
                        .path("result_data")
                        .path("submission_confirmed")
                        .isBoolean())
                .isTrue();
        assertThat(failedCallback
                        .path("result_data")
                        .path("submission_confirmed")
                        .asBoolean())
                .isFalse();
        assertThat(failedCallback.path("result_data").path("fields").toString()).contains("First Name");
    }

    @Test
    void identicalApplicationsSentAtTheSameInstantMakeOneJobAndOneSubmission() throws Exception {
        String body = applyBody("{\"Why do you want to join Acme?\":\"The payments work.\"}", null);
        String task = JsonMapper.builder()
                .build()
                .readTree(body)
                .path("valet_task_id")
                .asString();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CyclicBarrier together = new CyclicBarrier(n);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    together.await();
                    return api.post("/api/v1/gh/valet/apply", body);
                }));
            }
            List<String> created = new ArrayList<>();
            List<String> named = new ArrayList<>();
            for (Future<Answer> f : answers) {
                Answer a = f.get();
                if (a.status() == 201) {
                    created.add(a.json().path("job_id").asString());
                } else {
                    assertThat(a.status()).as("%s", a.json()).isEqualTo(409);
                    assertThat(a.json().path("duplicate").asBoolean()).isTrue();
                    assertThat(a.json().path("valet_task_id").asString()).isEqualTo(task);
                    named.add(a.json().path("job_id").asString());
                }
            }
            assertThat(created).hasSize(1);
            assertThat(named).hasSize(n - 1).containsOnly(created.get(0));
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM gh_automation_jobs WHERE valet_task_id = ?", Integer.class, task))
                    .isOne();

            JsonNode job = api.awaitJob(created.get(0), ApiClient::terminal, WAIT);
            assertThat(job.path("status").asString()).as("%s", job).isEqualTo("completed");
            assertThat(site.submissions()).as("one application").hasSize(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aRequiredQuestionWithoutAnAnswerFailsWithoutACallbackAndPausesWithOne() throws Exception {
        String id = api.post(
                        "/api/v1/gh/valet/apply",
                        applyBody("{}", null).replace("\"valet_user_id\"", "\"max_retries\":0,\"valet_user_id\""))
                .json()
                .path("job_id")
                .asString();
        JsonNode failed = api.awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("error_code").asString()).isEqualTo("unanswered_required_fields");
        assertThat(failed.path("error_details").path("questions").toString())
                .contains("Why do you want to work at Acme?");

        String paused = api.post("/api/v1/gh/valet/apply", applyBody("{}", url("/cb")))
                .json()
                .path("job_id")
                .asString();
        JsonNode job =
                api.awaitJob(paused, j -> j.path("status").asString().equals("paused") || ApiClient.terminal(j), WAIT);
        assertThat(job.path("status").asString()).isEqualTo("paused");
        assertThat(job.path("interaction_type").asString()).isEqualTo("screening_question");
        assertThat(job.path("interaction_data").path("questions").toString())
                .contains("Why do you want to work at Acme?");
        assertThat(api.post("/api/v1/gh/valet/resume/" + paused, "{\"action\":\"cancel\"}")
                        .status())
                .isEqualTo(200);
        assertThat(site.submissions()).isEmpty();
    }
}
