package io.ghosthands.activities.store;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A validated job, ready to be written. JSON-valued fields are serialised JSON.
 *
 * @param jobType apply, scrape, fill_form or custom
 * @param targetUrl absolute http(s) URL
 * @param taskDescription what to do, for people and for handlers
 * @param inputDataJson {@code input_data}
 * @param priority 1 (most urgent) … 10
 * @param scheduledAt not before this time, or null
 * @param maxRetries automatic retries of retryable failures
 * @param timeoutSeconds bound on the job's browser work
 * @param tagsJson {@code tags}
 * @param idempotencyKey a repeat of the same key is rejected, or null
 * @param metadataJson {@code metadata}
 * @param callbackUrl where status callbacks go, or null
 * @param userId owner, or null
 * @param targetWorkerId the worker it must run on, or null for any
 * @param workerAffinity strict, preferred or any
 * @param createdBy who created it ({@code api}, {@code valet}…)
 * @param valetTaskId the caller's correlation id, or null
 * @param resumeRefJson {@code resume_ref} ({@code {storage_path|s3_key|download_url}}), or null
 * @param executionMode {@code execution_mode}
 * @param exclusiveValetTask written only if no other job holds its {@code valet_task_id} (see
 *     migration V008's {@code gh_valet_task_holder}): set by VALET's routes, one application per task
 */
public record NewJob(
        String jobType,
        String targetUrl,
        String taskDescription,
        String inputDataJson,
        int priority,
        OffsetDateTime scheduledAt,
        int maxRetries,
        int timeoutSeconds,
        String tagsJson,
        String idempotencyKey,
        String metadataJson,
        String callbackUrl,
        UUID userId,
        String targetWorkerId,
        String workerAffinity,
        String createdBy,
        String valetTaskId,
        String resumeRefJson,
        String executionMode,
        boolean exclusiveValetTask) {

    /** A job that does not claim its {@code valet_task_id} for itself. */
    public NewJob(
            String jobType,
            String targetUrl,
            String taskDescription,
            String inputDataJson,
            int priority,
            OffsetDateTime scheduledAt,
            int maxRetries,
            int timeoutSeconds,
            String tagsJson,
            String idempotencyKey,
            String metadataJson,
            String callbackUrl,
            UUID userId,
            String targetWorkerId,
            String workerAffinity,
            String createdBy,
            String valetTaskId,
            String resumeRefJson,
            String executionMode) {
        this(
                jobType,
                targetUrl,
                taskDescription,
                inputDataJson,
                priority,
                scheduledAt,
                maxRetries,
                timeoutSeconds,
                tagsJson,
                idempotencyKey,
                metadataJson,
                callbackUrl,
                userId,
                targetWorkerId,
                workerAffinity,
                createdBy,
                valetTaskId,
                resumeRefJson,
                executionMode,
                false);
    }

    /** This job, refused while another job holds its {@code valet_task_id} (when it has one). */
    public NewJob exclusiveToItsValetTask() {
        return new NewJob(
                jobType,
                targetUrl,
                taskDescription,
                inputDataJson,
                priority,
                scheduledAt,
                maxRetries,
                timeoutSeconds,
                tagsJson,
                idempotencyKey,
                metadataJson,
                callbackUrl,
                userId,
                targetWorkerId,
                workerAffinity,
                createdBy,
                valetTaskId,
                resumeRefJson,
                executionMode,
                valetTaskId != null);
    }
}
