package io.ghosthands.workflows.payload;

import java.util.Map;

/**
 * The mirror write for a job that ended without its result.
 *
 * @param jobId the job
 * @param eventId id of the {@code job_failed} / {@code job_cancelled} event
 * @param status {@code failed}, {@code cancelled} or {@code expired}
 * @param errorCode the {@code error_code}, see {@link io.ghosthands.workflows.ErrorCode}
 * @param errorMessage for people; also {@code error_details.message}
 * @param details more of {@code error_details}
 * @param actionCount {@code action_count}, as the {@code failed} callback's cost says; null: left as
 *     it is
 */
public record JobFailure(
        String jobId,
        String eventId,
        String status,
        String errorCode,
        String errorMessage,
        Map<String, Object> details,
        Integer actionCount) {

    public JobFailure(
            String jobId,
            String eventId,
            String status,
            String errorCode,
            String errorMessage,
            Map<String, Object> details) {
        this(jobId, eventId, status, errorCode, errorMessage, details, null);
    }
}
