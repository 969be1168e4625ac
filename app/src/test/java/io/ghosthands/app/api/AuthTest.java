package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.support.TestStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code X-GH-Service-Key} guards the API; health stays open. */
class AuthTest extends ApiTestBase {

    private Answer withKey(String method, String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path));
        if (key != null) {
            request.header("X-GH-Service-Key", key);
        }
        request.header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return api.send(request);
    }

    @Test
    void aMissingKeyIs401JsonAndCreatesNothing() {
        int before = new JdbcTemplate(stack.dataSource())
                .queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);
        Answer answer = withKey(
                "POST", "/api/v1/gh/jobs", null, "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/\"}");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("error").asString()).isEqualTo("unauthorized");
        assertThat(answer.json().path("message").asString()).contains("X-GH-Service-Key");
        assertThat(answer.raw().headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> {
            UUID uuid = UUID.fromString(id); // a new one, as a random UUID
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
        });
        assertThat(new JdbcTemplate(stack.dataSource())
                        .queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class))
                .isEqualTo(before);
    }

    @Test
    void aWrongKeyIs401() {
        for (String wrong :
                new String[] {"", "nope", TestStack.SERVICE_KEY + "x", TestStack.SERVICE_KEY.substring(1)}) {
            Answer answer = withKey("GET", "/api/v1/gh/jobs/00000000-0000-0000-0000-000000000000", wrong, null);
            assertThat(answer.status()).as("key '%s'", wrong).isEqualTo(401);
            assertThat(answer.json().path("error").asString()).isEqualTo("unauthorized");
        }
    }

    @Test
    void theRightKeyPassesAndArtifactsNeedItToo() {
        assertThat(withKey("GET", "/api/v1/gh/jobs/00000000-0000-0000-0000-000000000000", TestStack.SERVICE_KEY, null)
                        .status())
                .isEqualTo(404);
        assertThat(withKey("GET", "/api/v1/gh/artifacts/00000000-0000-0000-0000-000000000000", null, null)
                        .status())
                .isEqualTo(401);
    }

    @Test
    void healthIsOpenAndUnknownRoutesAreJson404() {
        Answer health = withKey("GET", "/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("ok");
        Answer unknown = withKey("GET", "/nowhere", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asString()).isEqualTo("not_found");
    }

    @Test
    void theCallersRequestIdIsEchoed() {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/health")).header("X-Request-Id", "req-123");
        assertThat(api.send(request).raw().headers().firstValue("X-Request-Id")).hasValue("req-123");
    }
}
