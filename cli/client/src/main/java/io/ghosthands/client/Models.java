package io.ghosthands.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What the API answers, as records (camelCase here, snake_case on the wire). */
public final class Models {

    private Models() {}

    /** A job: every column of {@code gh_automation_jobs} the API returns. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AutomationJob(
            String id,
            String idempotencyKey,
            String userId,
            String createdBy,
            String jobType,
            String targetUrl,
            String taskDescription,
            JsonNode inputData,
            int priority,
            String scheduledAt,
            int maxRetries,
            int retryCount,
            int timeoutSeconds,
            String status,
            String statusMessage,
            String startedAt,
            String completedAt,
            String lastHeartbeat,
            String workerId,
            JsonNode resultData,
            String resultSummary,
            String errorCode,
            JsonNode errorDetails,
            List<String> screenshotUrls,
            List<String> artifactUrls,
            JsonNode metadata,
            List<String> tags,
            String createdAt,
            String updatedAt,
            String callbackUrl,
            String valetTaskId,
            JsonNode resumeRef,
            String targetWorkerId,
            String workerAffinity,
            String interactionType,
            JsonNode interactionData,
            String pausedAt,
            String executionMode,
            String workflowId,
            String runId) {

        /** completed, failed, cancelled or expired. */
        public boolean isTerminal() {
            return status != null
                    && List.of("completed", "failed", "cancelled", "expired").contains(status);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CreatedJob(String id, String status, String createdAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BatchResult(int created, List<String> jobIds) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobPage(List<AutomationJob> jobs, long total, int limit, int offset) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobEvent(
            String id,
            String jobId,
            String eventType,
            String fromStatus,
            String toStatus,
            String message,
            JsonNode metadata,
            String actor,
            String createdAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EventPage(List<JobEvent> events, long total, int limit, int offset) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobStatusInfo(
            String id,
            String status,
            String statusMessage,
            String startedAt,
            String lastHeartbeat,
            String completedAt,
            String workerId,
            String targetWorkerId,
            String errorCode,
            int retryCount) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CancelResult(String id, String status, String cancelledAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RetryResult(String id, String status, int retryCount) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ValetSubmission(
            String jobId, String valetTaskId, String status, String createdAt, boolean duplicate) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ValetError(String code, String message, JsonNode details) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Cost(double totalCostUsd, int actionCount, int totalTokens) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Timestamps(String createdAt, String startedAt, String completedAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ValetStatus(
            String jobId,
            String valetTaskId,
            String status,
            String statusMessage,
            String workerId,
            String targetWorkerId,
            JsonNode progress,
            JsonNode result,
            ValetError error,
            JsonNode interaction,
            Cost cost,
            Timestamps timestamps) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ResumeResult(String jobId, String status, String resumedAt) {}

    /** A signed link to a job's live page ({@code GET /jobs/{id}/live}); it holds no key and expires. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LiveLink(String jobId, String mode, String liveUrl, String expiresAt) {}
}
