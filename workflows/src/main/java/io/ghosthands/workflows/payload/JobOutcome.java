package io.ghosthands.workflows.payload;

/**
 * How a job's workflow ended; the full result is in the Postgres mirror.
 *
 * @param status the final {@code gh_automation_jobs.status}
 * @param errorCode the {@code error_code} when it did not complete, else null
 */
public record JobOutcome(String status, String errorCode) {}
