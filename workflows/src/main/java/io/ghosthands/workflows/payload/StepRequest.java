package io.ghosthands.workflows.payload;

/**
 * Starts or continues a job's browser session on the claiming worker.
 *
 * @param jobId the job (the session, its artifacts and heartbeats are filed under it)
 * @param jobType picks the engine: {@code apply}, {@code fill_form}, {@code scrape}, {@code custom}
 * @param url the page the job starts on
 * @param timeoutSeconds what is left of the job's {@code timeout_seconds} for this step (time paused
 *     for a human is not counted)
 * @param holdSeconds if the step stops for a human, how long the worker keeps the page open for the
 *     resume (the pause's timeout plus a margin)
 */
public record StepRequest(String jobId, String jobType, String url, int timeoutSeconds, int holdSeconds) {}
