package io.ghosthands.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to the API over real HTTP, as VALET would. */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String key;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    /** An answer: status, headers and the body parsed as JSON when it is JSON. */
    public record Answer(int status, JsonNode json, HttpResponse<byte[]> raw) {}

    public String baseUrl() {
        return baseUrl;
    }

    public Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("X-GH-Service-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("X-GH-Service-Key", key)
                .GET());
    }

    /** A GET of a full URL (e.g. an artifact link) with the key. */
    public Answer getUrl(String url) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("X-GH-Service-Key", key)
                .GET());
    }

    public Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") && response.body().length > 0) {
                json = JSON.readTree(response.body());
            }
            return new Answer(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code GET /jobs/{id}} until {@code done} holds or the timeout passes; returns the last job. */
    public JsonNode awaitJob(String id, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            job = get("/api/v1/gh/jobs/" + id).json();
            if (job != null && done.test(job)) {
                return job;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("job " + id + " did not reach the expected state in " + timeout + "; last: " + job);
    }

    public static boolean terminal(JsonNode job) {
        String s = job.path("status").asString();
        return s.equals("completed") || s.equals("failed") || s.equals("cancelled") || s.equals("expired");
    }
}
