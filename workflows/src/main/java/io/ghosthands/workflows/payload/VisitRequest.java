package io.ghosthands.workflows.payload;

/**
 * @param jobId the job the page belongs to (artifacts and heartbeats are filed under it)
 * @param url the page to open
 * @param timeoutSeconds the bound on loading it
 */
public record VisitRequest(String jobId, String url, int timeoutSeconds) {}
