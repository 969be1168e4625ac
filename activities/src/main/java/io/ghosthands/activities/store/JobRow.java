package io.ghosthands.activities.store;

import io.ghosthands.workflows.JobStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code gh_automation_jobs}: typed accessors for the columns code decides on, and every
 * column as JSON-ready values ({@link JsonRows}, in the table's order) for the answers that show
 * the whole row ({@code GET /jobs/{id}}: "every column").
 *
 * @param columns the row, column by column; timestamps are ISO-8601 UTC text, {@code jsonb} values
 *     trees of the reader the store was given
 */
public record JobRow(Map<String, Object> columns) {

    public String id() {
        return (String) columns.get("id");
    }

    public UUID uuid() {
        return UUID.fromString(id());
    }

    public JobStatus status() {
        return JobStatus.of(statusValue());
    }

    /** The status as stored (and answered). */
    public String statusValue() {
        return (String) columns.get("status");
    }

    public String statusMessage() {
        return (String) columns.get("status_message");
    }

    public String jobType() {
        return (String) columns.get("job_type");
    }

    public String targetUrl() {
        return (String) columns.get("target_url");
    }

    public String targetWorkerId() {
        return (String) columns.get("target_worker_id");
    }

    public String workerAffinity() {
        return (String) columns.get("worker_affinity");
    }

    public String workerId() {
        return (String) columns.get("worker_id");
    }

    public String valetTaskId() {
        return (String) columns.get("valet_task_id");
    }

    /** The owner's id as text, or null. */
    public String userId() {
        Object user = columns.get("user_id");
        return user == null ? null : user.toString();
    }

    public String callbackUrl() {
        return (String) columns.get("callback_url");
    }

    public String runId() {
        return (String) columns.get("run_id");
    }

    public int priority() {
        return ((Number) columns.get("priority")).intValue();
    }

    public int maxRetries() {
        return ((Number) columns.get("max_retries")).intValue();
    }

    public int timeoutSeconds() {
        return ((Number) columns.get("timeout_seconds")).intValue();
    }

    public Integer retryCount() {
        return (Integer) columns.get("retry_count");
    }

    public Integer actionCount() {
        return (Integer) columns.get("action_count");
    }

    public String errorCode() {
        return (String) columns.get("error_code");
    }

    /** {@code error_details} as the store's reader parsed it, or null. */
    public Object errorDetails() {
        return columns.get("error_details");
    }

    /** ISO-8601, or null. */
    public String scheduledAt() {
        return (String) columns.get("scheduled_at");
    }

    /** ISO-8601, or null. */
    public String pausedAt() {
        return (String) columns.get("paused_at");
    }

    /** ISO-8601, or null. */
    public String completedAt() {
        return (String) columns.get("completed_at");
    }

    /** When the final submit was clicked (ISO-8601), or null. */
    public String submittedAt() {
        return (String) columns.get("submitted_at");
    }

    /** This row with one column set to {@code value} (a copy; the column keeps its place). */
    public JobRow with(String column, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(columns);
        copy.put(column, value);
        return new JobRow(copy);
    }
}
