package io.ghosthands.workflows.payload;

import io.ghosthands.workflows.WorkerAffinity;

/**
 * What a job's workflow is started with. Only what the workflow itself decides on; the job's full
 * input (profile, answers…) stays in Postgres and is read by the activities that need it.
 *
 * @param jobId the {@code gh_automation_jobs.id}
 * @param jobType {@code apply}, {@code scrape}, {@code fill_form} or {@code custom}
 * @param targetUrl the page the job starts on
 * @param targetWorkerId the worker the job is routed to, or null for the shared pool
 * @param timeoutSeconds the bound on one attempt's browser work
 * @param scheduledAtEpochMs not before this instant (a durable timer); 0 = now
 * @param maxRetries automatic retries of retryable failures
 * @param retryBackoffSeconds wait before the first automatic retry; doubles each time, capped at 60 s
 * @param workerAffinity for a job with a target worker: {@code strict} (only that worker; expires
 *     when it does not take the job within {@code startDeadlineSeconds}), {@code preferred} (that
 *     worker if it takes the job within {@code preferredFallbackSeconds}, else the shared pool) or
 *     {@code any} (the shared pool)
 * @param preferredFallbackSeconds see {@code workerAffinity}
 * @param startDeadlineSeconds see {@code workerAffinity}
 */
public record JobRequest(
        String jobId,
        String jobType,
        String targetUrl,
        String targetWorkerId,
        int timeoutSeconds,
        long scheduledAtEpochMs,
        int maxRetries,
        int retryBackoffSeconds,
        String workerAffinity,
        int preferredFallbackSeconds,
        int startDeadlineSeconds) {

    public static final int DEFAULT_PREFERRED_FALLBACK_SECONDS = 60;
    public static final int DEFAULT_START_DEADLINE_SECONDS = 600;

    /** A request with the default routing (preferred affinity, 60 s fallback, 10 min start deadline). */
    public JobRequest(
            String jobId,
            String jobType,
            String targetUrl,
            String targetWorkerId,
            int timeoutSeconds,
            long scheduledAtEpochMs,
            int maxRetries,
            int retryBackoffSeconds) {
        this(
                jobId,
                jobType,
                targetUrl,
                targetWorkerId,
                timeoutSeconds,
                scheduledAtEpochMs,
                maxRetries,
                retryBackoffSeconds,
                WorkerAffinity.DEFAULT.code(),
                DEFAULT_PREFERRED_FALLBACK_SECONDS,
                DEFAULT_START_DEADLINE_SECONDS);
    }

    /** A request for a job to run now with no automatic retries. */
    public static JobRequest now(
            String jobId, String jobType, String targetUrl, String targetWorkerId, int timeoutSeconds) {
        return new JobRequest(jobId, jobType, targetUrl, targetWorkerId, timeoutSeconds, 0, 0, 5);
    }
}
