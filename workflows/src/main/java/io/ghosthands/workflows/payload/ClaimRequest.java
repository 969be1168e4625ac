package io.ghosthands.workflows.payload;

/**
 * @param jobId the job to claim
 * @param eventId id of the {@code job_started} event, chosen by the workflow so a retried claim
 *     writes it once
 */
public record ClaimRequest(String jobId, String eventId) {}
