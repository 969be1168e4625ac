package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code scheduled_at}, {@code timeout_seconds}, {@code max_retries} and {@code priority} are honoured. */
class SchedulingTest extends ApiTestBase {

    private List<String> events(String id) {
        return jdbc.queryForList(
                "SELECT event_type FROM gh_job_events WHERE job_id = ? ORDER BY created_at",
                String.class,
                UUID.fromString(id));
    }

    @Test
    void aFutureScheduledAtDelaysTheStart() {
        Instant at = Instant.now().plusSeconds(3);
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank") + "\",\"scheduled_at\":\""
                + at + "\"}");
        JsonNode waiting = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(waiting.path("status").asString()).isIn("pending", "queued");
        assertThat(waiting.path("status_message").asString()).startsWith("Scheduled for");

        JsonNode done = api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(30));
        assertThat(done.path("status").asString()).isEqualTo("completed");
        assertThat(Instant.parse(done.path("started_at").asString())).isAfterOrEqualTo(at.minusMillis(50));
    }

    @Test
    void retryableFailuresAreRetriedAutomaticallyUpToMaxRetries() {
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/flaky/" + UUID.randomUUID())
                + "\",\"max_retries\":2}");
        JsonNode done = api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60));
        assertThat(done.path("status").asString()).isEqualTo("completed");
        assertThat(done.path("retry_count").asInt()).isEqualTo(1);
        assertThat(done.path("result_data").path("page_title").asString()).isEqualTo("Recovered");
        assertThat(events(id)).containsSubsequence("job_started", "job_retried", "job_started", "job_completed");

        String noRetries = create("{\"job_type\":\"scrape\",\"target_url\":\""
                + pages.url("/flaky/" + UUID.randomUUID()) + "\",\"max_retries\":0}");
        JsonNode failed = api.awaitJob(noRetries, ApiClient::terminal, Duration.ofSeconds(60));
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("retry_count").asInt()).isZero();
    }

    @Test
    void nonRetryableFailuresAreNotRetried() {
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/gone") + "\",\"max_retries\":3}");
        JsonNode failed = api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60));
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("error_code").asString()).isEqualTo("page_load_failed");
        assertThat(failed.path("retry_count").asInt()).isZero();
        assertThat(events(id)).doesNotContain("job_retried");
    }

    @Test
    void timeoutSecondsBoundsAnAttempt() {
        long t0 = System.nanoTime();
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/slow")
                + "\",\"timeout_seconds\":30," + "\"max_retries\":0}");
        JsonNode failed = api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(90));
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("error_code").asString()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(60));
    }

    @Test
    void priorityIsStoredAndValidated() {
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank") + "\",\"priority\":1}");
        assertThat(api.get("/api/v1/gh/jobs/" + id).json().path("priority").asInt())
                .isEqualTo(1);
        assertThat(api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(30))
                        .path("status")
                        .asString())
                .isEqualTo("completed");
        for (String bad : List.of("0", "11", "\"high\"", "1.5")) {
            ApiClient.Answer a = api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank") + "\",\"priority\":" + bad
                            + "}");
            assertThat(a.status()).as("priority %s", bad).isEqualTo(422);
            assertThat(a.json().path("details").get(0).path("field").asString()).isEqualTo("priority");
        }
    }
}
