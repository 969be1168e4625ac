package io.ghosthands.app.jobs;

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
    String executionMode) {}
