package io.ghosthands.workflows.payload;

import java.util.Map;

/**
 * One callback to a job's {@code callback_url} (contract section 3).
 *
 * @param jobId the job
 * @param url the {@code callback_url}, posted to exactly as given
 * @param eventId also in the body, for the receiver's de-duplication
 * @param body the JSON body
 */
public record Callback(String jobId, String url, String eventId, Map<String, Object> body) {}
