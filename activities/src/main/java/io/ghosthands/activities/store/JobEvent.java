package io.ghosthands.activities.store;

import java.util.Map;

/**
 * A row of {@code gh_job_events}.
 *
 * @param id chosen by the writer so a repeated write is a no-op
 * @param jobId the job
 * @param type event type, e.g. {@code job_started}
 * @param fromStatus status before, for transitions
 * @param toStatus status after, for transitions
 * @param message for people
 * @param metadata event payload
 * @param actor who did it: a worker id, {@code api}, {@code system}
 */
public record JobEvent(
        String id,
        String jobId,
        String type,
        String fromStatus,
        String toStatus,
        String message,
        Map<String, Object> metadata,
        String actor) {}
