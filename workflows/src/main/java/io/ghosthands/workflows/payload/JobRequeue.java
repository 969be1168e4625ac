package io.ghosthands.workflows.payload;

/**
 * The mirror write for an attempt that failed in a way a new attempt may fix.
 *
 * @param jobId the job
 * @param eventId id of the {@code job_retried} event
 * @param errorCode why the attempt failed
 * @param errorMessage for people
 * @param attempt the automatic retry about to happen, from 1
 * @param backoffSeconds how long until it starts
 */
public record JobRequeue(
        String jobId, String eventId, String errorCode, String errorMessage, int attempt, int backoffSeconds) {}
