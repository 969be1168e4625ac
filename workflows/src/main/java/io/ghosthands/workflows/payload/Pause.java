package io.ghosthands.workflows.payload;

/**
 * The mirror write for a job that waits for a human.
 *
 * @param jobId the job
 * @param eventId id of the {@code hitl_paused} event
 * @param interaction why (nothing secret)
 * @param pausedAt ISO instant
 * @param expiresAt ISO instant the pause times out
 * @param timeoutSeconds the pause's length
 * @param round 1 for the first pause of this attempt, up to the limit
 */
public record Pause(
        String jobId,
        String eventId,
        Interaction interaction,
        String pausedAt,
        String expiresAt,
        int timeoutSeconds,
        int round) {}
