package io.ghosthands.workflows.payload;

import java.util.Map;

/**
 * An event about a job that does not change its status (callback outcomes, submissions, resumes).
 *
 * @param jobId the job
 * @param eventId the event's id (writing it twice writes it once)
 * @param type e.g. {@code callback_failed}, {@code submit_started}, {@code hitl_resumed}
 * @param message for people
 * @param metadata small, non-secret details
 * @param status when not null, also moves a paused job back to this status (used on resume)
 */
public record JobNote(
        String jobId, String eventId, String type, String message, Map<String, Object> metadata, String status) {}
