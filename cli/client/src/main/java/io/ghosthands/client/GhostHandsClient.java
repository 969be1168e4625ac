package io.ghosthands.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghosthands.client.GhostHandsException.DuplicateIdempotencyKeyException;
import io.ghosthands.client.GhostHandsException.JobNotCancellableException;
import io.ghosthands.client.GhostHandsException.JobNotFoundException;
import io.ghosthands.client.GhostHandsException.JobNotRetryableException;
import io.ghosthands.client.GhostHandsException.NotPausedException;
import io.ghosthands.client.GhostHandsException.UnauthorizedException;
import io.ghosthands.client.GhostHandsException.ValidationException;
import io.ghosthands.client.GhostHandsException.WaitTimeoutException;
import io.ghosthands.client.Models.AutomationJob;
import io.ghosthands.client.Models.BatchResult;
import io.ghosthands.client.Models.CancelResult;
import io.ghosthands.client.Models.CreatedJob;
import io.ghosthands.client.Models.EventPage;
import io.ghosthands.client.Models.JobPage;
import io.ghosthands.client.Models.JobStatusInfo;
import io.ghosthands.client.Models.LiveLink;
import io.ghosthands.client.Models.ResumeResult;
import io.ghosthands.client.Models.RetryResult;
import io.ghosthands.client.Models.ValetStatus;
import io.ghosthands.client.Models.ValetSubmission;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The GhostHands REST API from Java: {@code new GhostHandsClient("http://localhost:8080", key)}.
 * Thread-safe. Errors come back as {@link GhostHandsException} subclasses.
 */
public class GhostHandsClient {

    private static final String BASE = "/api/v1/gh";

    private final String apiUrl;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    // request bodies keep their field names as written (they are snake_case already)
    private final ObjectMapper wire = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /**
     * @param apiUrl the API's base URL, e.g. {@code http://localhost:8080} (with or without the
     *     {@code /api/v1/gh} suffix)
     * @param apiKey the service key sent as {@code X-GH-Service-Key}
     */
    public GhostHandsClient(String apiUrl, String apiKey) {
        this(apiUrl, apiKey, Duration.ofSeconds(30));
    }

    public GhostHandsClient(String apiUrl, String apiKey, Duration timeout) {
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.apiUrl = base.endsWith(BASE) ? base.substring(0, base.length() - BASE.length()) : base;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public String apiUrl() {
        return apiUrl;
    }

    // ---- jobs ----

    public CreatedJob createJob(CreateJobParams params) {
        return send("POST", BASE + "/jobs", params, CreatedJob.class);
    }

    public CreatedJob createJob(CreateJobOptions options) {
        return createJob(options.toParams());
    }

    /** All jobs or none; {@code defaults} (may be null) fills what each job leaves unset. */
    public BatchResult createBatch(List<CreateJobParams> jobs, CreateJobParams defaults) {
        ObjectNode body = wire.createObjectNode();
        body.set("jobs", wire.valueToTree(jobs));
        if (defaults != null) {
            body.set("defaults", wire.valueToTree(defaults));
        }
        return send("POST", BASE + "/jobs/batch", body, BatchResult.class);
    }

    public AutomationJob getJob(String jobId) {
        return send("GET", BASE + "/jobs/" + enc(jobId), null, AutomationJob.class);
    }

    public JobStatusInfo getJobStatus(String jobId) {
        return send("GET", BASE + "/jobs/" + enc(jobId) + "/status", null, JobStatusInfo.class);
    }

    public JobPage listJobs(ListJobsQuery query) {
        return send("GET", BASE + "/jobs" + (query == null ? "" : query.toQueryString()), null, JobPage.class);
    }

    public EventPage getJobEvents(String jobId, int limit, int offset) {
        return send(
                "GET",
                BASE + "/jobs/" + enc(jobId) + "/events?limit=" + limit + "&offset=" + offset,
                null,
                EventPage.class);
    }

    public CancelResult cancelJob(String jobId) {
        return send("POST", BASE + "/jobs/" + enc(jobId) + "/cancel", null, CancelResult.class);
    }

    /** A new attempt under the same id (failed, cancelled or expired jobs only). */
    public RetryResult retryJob(String jobId) {
        return send("POST", BASE + "/jobs/" + enc(jobId) + "/retry", null, RetryResult.class);
    }

    /**
     * A signed link to the job's live page: {@code "watch"} to look on while it runs, {@code "control"}
     * to take over its paused page. 404 when there is no such job, 409 when it has no page to show.
     */
    public LiveLink liveLink(String jobId, String mode) {
        return send("GET", BASE + "/jobs/" + enc(jobId) + "/live?mode=" + enc(mode), null, LiveLink.class);
    }

    /** Polls until the job is completed, failed, cancelled or expired; returns it. */
    public AutomationJob waitForCompletion(String jobId, Duration maxWait, Duration pollEvery) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            AutomationJob job = getJob(jobId);
            if (job.isTerminal()) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new WaitTimeoutException("job " + jobId + " still " + job.status() + " after " + maxWait);
            }
            try {
                Thread.sleep(pollEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GhostHandsException("interrupted while waiting for job " + jobId, e);
            }
        }
    }

    // ---- VALET ----

    /** Submits an application; a duplicate idempotency key returns the existing job ({@code duplicate}). */
    public ValetSubmission valetApply(ValetApplyParams params) {
        return submission(BASE + "/valet/apply", params);
    }

    public ValetSubmission valetTask(ValetTaskParams params) {
        return submission(BASE + "/valet/task", params);
    }

    private ValetSubmission submission(String path, Object params) {
        try {
            return send("POST", path, params, ValetSubmission.class);
        } catch (DuplicateIdempotencyKeyException e) {
            return json.convertValue(e.body(), ValetSubmission.class);
        }
    }

    public ValetStatus valetStatus(String jobId) {
        return send("GET", BASE + "/valet/status/" + enc(jobId), null, ValetStatus.class);
    }

    public ResumeResult resume(String jobId, ResumeParams params) {
        return send(
                "POST",
                BASE + "/valet/resume/" + enc(jobId),
                params == null ? new ResumeParams() : params,
                ResumeResult.class);
    }

    // ---- plumbing ----

    private <T> T send(String method, String path, Object body, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(timeout)
                .header("X-GH-Service-Key", apiKey)
                .header("Accept", "application/json");
        try {
            if (body == null) {
                request.method(
                        method,
                        "POST".equals(method)
                                ? HttpRequest.BodyPublishers.ofString("{}")
                                : HttpRequest.BodyPublishers.noBody());
            } else {
                request.method(method, HttpRequest.BodyPublishers.ofString(wire.writeValueAsString(body)));
            }
            request.header("Content-Type", "application/json");
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.body().isEmpty() ? json.createObjectNode() : parse(response.body());
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                return json.treeToValue(answer, type);
            }
            throw error(response.statusCode(), answer);
        } catch (IOException e) {
            throw new GhostHandsException(
                    "GhostHands API at " + apiUrl + " could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GhostHandsException("interrupted calling " + path, e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode().put("error", "bad_response").put("message", text);
        }
    }

    static GhostHandsException error(int status, JsonNode body) {
        String error = body.path("error").asText("http_" + status);
        String message = body.path("message").asText(error) + " (HTTP " + status + ")";
        switch (status) {
            case 401:
                return new UnauthorizedException(status, error, message, body);
            case 400:
            case 422:
                return new ValidationException(status, error, message, body);
            case 404:
                return new JobNotFoundException(status, error, message, body);
            case 409:
                switch (error) {
                    case "duplicate_idempotency_key":
                        return new DuplicateIdempotencyKeyException(status, error, message, body);
                    case "job_not_cancellable":
                        return new JobNotCancellableException(status, error, message, body);
                    case "job_not_retryable":
                        return new JobNotRetryableException(status, error, message, body);
                    case "not_paused":
                        return new NotPausedException(status, error, message, body);
                    default:
                        return new GhostHandsException(status, error, message, body);
                }
            default:
                return new GhostHandsException(status, error, message, body);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
