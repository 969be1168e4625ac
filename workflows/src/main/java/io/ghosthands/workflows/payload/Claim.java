package io.ghosthands.workflows.payload;

/**
 * Who claimed a job and where its browser steps go from now on.
 *
 * @param workerId the claiming worker's id, now in {@code gh_automation_jobs.worker_id}
 * @param sessionQueue that worker process's private task queue
 */
public record Claim(String workerId, String sessionQueue) {}
