package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.SharedDevStack;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document is generated from the controllers and served with a browsable UI. */
class OpenApiTest {

    @Test
    void theDocumentDescribesTheContractRoutesAndTheUiIsServed() {
        ApiClient api = SharedDevStack.get().api();
        ApiClient.Answer docs = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v3/api-docs")));
        assertThat(docs.status()).isEqualTo(200);
        JsonNode doc = docs.json();
        assertThat(doc.path("openapi").asString()).startsWith("3.");
        JsonNode paths = doc.path("paths");
        for (String path : new String[] {
            "/api/v1/gh/jobs",
            "/api/v1/gh/jobs/batch",
            "/api/v1/gh/jobs/{id}",
            "/api/v1/gh/jobs/{id}/status",
            "/api/v1/gh/jobs/{id}/events",
            "/api/v1/gh/jobs/{id}/cancel",
            "/api/v1/gh/jobs/{id}/retry",
            "/api/v1/gh/valet/apply",
            "/api/v1/gh/valet/task",
            "/api/v1/gh/valet/status/{jobId}",
            "/api/v1/gh/valet/resume/{jobId}",
            "/api/v1/gh/valet/workers/deregister",
            "/health",
            "/monitoring/health",
            "/monitoring/metrics",
            "/monitoring/workers"
        }) {
            assertThat(paths.has(path)).as("documents %s", path).isTrue();
        }
        JsonNode createBody = paths.path("/api/v1/gh/jobs").path("post").path("requestBody");
        String schemaRef = createBody
                .path("content")
                .path("application/json")
                .path("schema")
                .path("$ref")
                .asString();
        assertThat(schemaRef).endsWith("/CreateJob");
        JsonNode createJob =
                doc.path("components").path("schemas").path("CreateJob").path("properties");
        assertThat(createJob.has("target_worker_id")).isTrue();
        assertThat(createJob.has("job_type")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("serviceKey"))
                .isTrue();

        ApiClient.Answer ui = api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/swagger-ui/index.html")));
        assertThat(ui.status()).isEqualTo(200);
        assertThat(new String(ui.raw().body())).contains("swagger");
    }
}
