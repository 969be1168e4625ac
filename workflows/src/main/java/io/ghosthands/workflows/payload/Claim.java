package io.ghosthands.workflows.payload;

import java.util.Map;

/**
 * Who claimed a job, where its browser steps go from now on, and what the workflow must know about
 * the job that is not in its start request.
 *
 * @param workerId the claiming worker's id, now in {@code gh_automation_jobs.worker_id}
 * @param sessionQueue that worker process's private task queue
 * @param callbackUrl the job's {@code callback_url}, or null
 * @param valetTaskId the job's {@code valet_task_id}, or null
 * @param hitlTimeoutSeconds how long a pause waits for a human
 * @param submission when an earlier attempt already clicked the final submit: what it recorded
 *     ({@code submitted_at}, and {@code result_data}/{@code result_summary} once confirmed), else null
 */
public record Claim(
        String workerId,
        String sessionQueue,
        String callbackUrl,
        String valetTaskId,
        int hitlTimeoutSeconds,
        Map<String, Object> submission) {

    /** A claim for a job without callback or submission (tests). */
    public static Claim of(String workerId, String sessionQueue) {
        return new Claim(workerId, sessionQueue, null, null, 300, null);
    }
}
