package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.store.ArtifactLinks;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One job end to end through the HTTP API: REST → Postgres → Temporal workflow → worker in real
 * Chromium → mirror, and the ways a page can fail to load.
 */
class JobLifecycleTest extends ApiTestBase {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aJobOpensItsPageInChromiumAndCompletesWithTitleScreenshotAndEvents() {
        Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/redirect")
                        + "\",\"task_description\":\"Read the posting\",\"input_data\":{\"k\":1},"
                        + "\"callback_url\":\"http://127.0.0.1:9/cb\",\"target_worker_id\":null}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(created.json().path("status").asString()).isIn("queued", "pending");
        assertThat(created.json().path("created_at").asString()).endsWith("Z");
        assertThat(created.raw().headers().firstValue("X-Request-Id")).isPresent();

        JsonNode job = api.awaitJob(id, ApiClient::terminal, WAIT);

        assertThat(job.path("status").asString()).as("job: %s", job).isEqualTo("completed");
        assertThat(job.path("id").asString()).isEqualTo(id);
        assertThat(job.path("job_type").asString()).isEqualTo("scrape");
        assertThat(job.path("task_description").asString()).isEqualTo("Read the posting");
        assertThat(job.path("input_data").path("k").asInt()).isEqualTo(1);
        assertThat(job.path("callback_url").asString()).isEqualTo("http://127.0.0.1:9/cb");
        assertThat(job.has("target_worker_id")).isTrue();
        assertThat(job.get("target_worker_id").isNull()).isTrue();
        assertThat(job.path("worker_id").asString()).startsWith("worker-");
        assertThat(job.path("workflow_id").asString()).isEqualTo("gh-job-" + id);
        assertThat(job.path("started_at").isNull()).isFalse();
        assertThat(job.path("completed_at").isNull()).isFalse();
        assertThat(job.path("last_heartbeat").isNull()).isFalse();
        assertThat(job.path("result_data").path("page_title").asString()).isEqualTo(TestPages.JOB_TITLE);
        assertThat(job.path("result_data").path("final_url").asString()).isEqualTo(pages.url("/job"));
        assertThat(job.path("result_data").path("http_status").asInt()).isEqualTo(200);
        // the scrape engine read the posting: its title and company
        assertThat(job.path("result_data").path("title").asString()).isEqualTo("Senior Engineer");
        assertThat(job.path("result_data").path("company").asString()).isEqualTo("Acme");
        assertThat(job.path("result_summary").asString()).isEqualTo("Scraped \"Senior Engineer\" at Acme");
        assertThat(job.path("error_code").isNull()).isTrue();

        JsonNode screenshots = job.path("screenshot_urls");
        assertThat(screenshots.isArray()).isTrue();
        assertThat(screenshots.size()).isEqualTo(1);
        String screenshotUrl = screenshots.get(0).asString();
        assertThat(screenshotUrl).startsWith(api.baseUrl().replace("127.0.0.1", "localhost") + "/api/v1/gh/artifacts/");
        // a signed, expiring link: a browser opens it without the service key
        assertThat(screenshotUrl).containsPattern("\\?expires=\\d+&sig=[0-9a-f]{64}$");
        String noKeyUrl = screenshotUrl.replace("localhost", "127.0.0.1");
        Answer png = api.send(HttpRequest.newBuilder(URI.create(noKeyUrl)));
        assertThat(png.status()).isEqualTo(200);
        assertThat(png.raw().headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(Arrays.copyOf(png.raw().body(), 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        String tampered = noKeyUrl.substring(0, noKeyUrl.length() - 1) + (noKeyUrl.endsWith("0") ? "1" : "0");
        // a link whose signature is wrong or expired is refused: 403 forbidden (it was 401 before the
        // signature and the key were told apart)
        Answer tamperedAnswer = api.send(HttpRequest.newBuilder(URI.create(tampered)));
        assertThat(tamperedAnswer.status()).isEqualTo(403);
        assertThat(tamperedAnswer.json().path("error").asString()).isEqualTo("forbidden");
        String artifactId = noKeyUrl.substring(noKeyUrl.indexOf("/artifacts/") + 11, noKeyUrl.indexOf('?'));
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        String expired = noKeyUrl.substring(0, noKeyUrl.indexOf('?')) + "?expires=" + past + "&sig="
                + ArtifactLinks.sign(ArtifactLinks.keyFrom(TestStack.SERVICE_KEY), artifactId, past);
        Answer expiredAnswer = api.send(HttpRequest.newBuilder(URI.create(expired)));
        assertThat(expiredAnswer.status()).isEqualTo(403);
        assertThat(expiredAnswer.json().path("error").asString()).isEqualTo("forbidden");

        List<Map<String, Object>> events = jdbc.queryForList(
                "SELECT event_type, from_status, to_status, actor FROM gh_job_events WHERE job_id = ? ORDER BY created_at",
                UUID.fromString(id));
        List<String> types =
                events.stream().map(e -> (String) e.get("event_type")).toList();
        assertThat(types).containsSubsequence("job_created", "job_started", "job_completed");
        assertThat(types).contains("job_dispatched");
        assertThat(events)
                .filteredOn(e -> "job_started".equals(e.get("event_type")))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("to_status")).isEqualTo("running");
                    assertThat((String) e.get("actor")).startsWith("worker-");
                });
        assertThat(events)
                .filteredOn(e -> "job_completed".equals(e.get("event_type")))
                .singleElement()
                .satisfies(e -> assertThat(e.get("from_status")).isEqualTo("running"));
        // the worker's registry row counts it
        assertThat(jdbc.queryForObject(
                        "SELECT jobs_completed FROM gh_worker_registry WHERE worker_id = ?",
                        Integer.class,
                        job.path("worker_id").asString()))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aPageThatRefusesTheConnectionFailsWithNetworkError() {
        String id = create("{\"job_type\":\"custom\",\"target_url\":\"http://127.0.0.1:" + TestTemporal.freePort()
                + "/nothing-listens-here\","
                + "\"task_description\":\"x\"}");

        JsonNode job = api.awaitJob(id, ApiClient::terminal, WAIT);

        assertThat(job.path("status").asString()).isEqualTo("failed");
        assertThat(job.path("error_code").asString()).isEqualTo("network_error");
        assertThat(job.path("error_details").path("message").asString()).contains("ERR_CONNECTION_REFUSED");
        assertThat(job.path("completed_at").isNull()).isFalse();
        assertThat(jdbc.queryForList(
                        "SELECT event_type FROM gh_job_events WHERE job_id = ? ORDER BY created_at",
                        String.class,
                        UUID.fromString(id)))
                .containsSubsequence("job_created", "job_started", "job_failed");
    }

    @Test
    void aPageThatAnswersWithAnHttpErrorFailsWithPageLoadFailed() {
        String id = create(
                "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/gone") + "\",\"task_description\":\"x\"}");

        JsonNode job = api.awaitJob(id, ApiClient::terminal, WAIT);

        assertThat(job.path("status").asString()).isEqualTo("failed");
        assertThat(job.path("error_code").asString()).isEqualTo("page_load_failed");
        assertThat(job.path("error_details").path("message").asString()).contains("HTTP 404");
        // the page as the browser saw it is kept for whoever investigates
        String shot = job.path("error_details").path("screenshot_url").asString();
        assertThat(shot).contains("/api/v1/gh/artifacts/");
        assertThat(job.path("screenshot_urls").get(0).asString()).isEqualTo(shot);
        assertThat(api.getUrl(shot.replace("localhost", "127.0.0.1")).status()).isEqualTo(200);
    }

    @Test
    void aPageBehindABlockerFailsWithTheBlockersCode() {
        for (String[] c : new String[][] {
            {"ddg-indeed_login_signup.html", "login_required", "login"},
            {"flaresolverr-cloudflare_init_v1.html", "bot_check", "bot_check"},
            {"ddg-paypal_otp.html", "2fa_required", "2fa"}
        }) {
            String id = create("{\"job_type\":\"apply\",\"target_url\":\"" + pages.url("/fixtures/" + c[0])
                    + "\",\"max_retries\":0}");
            JsonNode job = api.awaitJob(id, ApiClient::terminal, WAIT);
            assertThat(job.path("status").asString()).as(c[0]).isEqualTo("failed");
            assertThat(job.path("error_code").asString()).as(c[0]).isEqualTo(c[1]);
            assertThat(job.path("error_details").path("blocker_type").asString())
                    .isEqualTo(c[2]);
            assertThat(job.path("error_details").path("screenshot_url").asString())
                    .contains("/artifacts/");
        }
    }

    @Test
    void anUnknownOrMalformedJobIdIs404() {
        Answer unknown = api.get("/api/v1/gh/jobs/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asString()).isEqualTo("not_found");
        Answer malformed = api.get("/api/v1/gh/jobs/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(malformed.json().path("error").asString()).isEqualTo("not_found");
    }

    @Test
    void badInputIsRejectedWithoutWritingAnything() {
        int before = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);

        Answer invalid = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"dance\",\"target_url\":\"not a url\",\"priority\":0," + "\"target_worker_id\":\""
                        + "w".repeat(101) + "\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("error").asString()).isEqualTo("validation_error");
        assertThat(invalid.json().path("details").findValuesAsString("field"))
                .containsExactlyInAnyOrder("job_type", "target_url", "priority", "target_worker_id");

        Answer notJson = api.post("/api/v1/gh/jobs", "{\"job_type\": ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("error").asString()).isEqualTo("bad_request");

        Answer notObject = api.post("/api/v1/gh/jobs", "[1,2]");
        assertThat(notObject.status()).isEqualTo(400);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class))
                .isEqualTo(before);
    }

    @Test
    void aJsonBodySentAsAFormIsStillRead() {
        // what `curl -d '{…}'` sends when the user forgets -H 'Content-Type: application/json'
        Answer answer = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/gh/jobs"))
                .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"job_type\":\"scrape\",\"target_url\":\""
                        + pages.url("/blank") + "?a=1&b=%20\",\"target_worker_id\":\"nobody\"}")));
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        JsonNode job = api.get("/api/v1/gh/jobs/" + answer.json().path("id").asString())
                .json();
        assertThat(job.path("target_url").asString()).isEqualTo(pages.url("/blank") + "?a=1&b=%20");
        api.post("/api/v1/gh/jobs/" + job.path("id").asString() + "/cancel", "");
    }

    @Test
    void aRepeatedIdempotencyKeyIs409WithTheExistingJob() {
        String key = "idem-" + UUID.randomUUID();
        String body = "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank") + "\",\"idempotency_key\":\""
                + key + "\"}";
        String id = create(body);

        Answer again = api.post("/api/v1/gh/jobs", body);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").asString()).isEqualTo("duplicate_idempotency_key");
        assertThat(again.json().path("existing_job_id").asString()).isEqualTo(id);
        assertThat(again.json().path("existing_status").asString()).isNotEmpty();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM gh_automation_jobs WHERE idempotency_key = ?", Integer.class, key))
                .isEqualTo(1);
    }
}
