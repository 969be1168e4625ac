package io.ghosthands.workflows.payload;

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
 */
public record JobRequest(
    String jobId,
    String jobType,
    String targetUrl,
    String targetWorkerId,
    int timeoutSeconds,
    long scheduledAtEpochMs,
    int maxRetries,
    int retryBackoffSeconds) {

  /** A request for a job to run now with no automatic retries. */
  public static JobRequest now(String jobId, String jobType, String targetUrl, String targetWorkerId, int timeoutSeconds) {
    return new JobRequest(jobId, jobType, targetUrl, targetWorkerId, timeoutSeconds, 0, 0, 5);
  }
}
