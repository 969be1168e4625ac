package io.ghosthands.workflows.payload;

/**
 * What a job's workflow is started with. Only what the workflow itself decides on; the job's full
 * input (profile, answers…) stays in Postgres and is read by the activities that need it.
 *
 * @param jobId the {@code gh_automation_jobs.id}
 * @param jobType {@code apply}, {@code scrape}, {@code fill_form} or {@code custom}
 * @param targetUrl the page the job starts on
 * @param targetWorkerId the worker the job is routed to, or null for the shared pool
 * @param timeoutSeconds the bound on the job's browser work
 */
public record JobRequest(
    String jobId, String jobType, String targetUrl, String targetWorkerId, int timeoutSeconds) {}
