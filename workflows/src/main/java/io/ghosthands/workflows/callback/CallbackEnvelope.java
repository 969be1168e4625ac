package io.ghosthands.workflows.callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One callback as its receiver reads it: the envelope every status carries ({@code job_id},
 * {@code valet_task_id}, {@code status}, {@code worker_id}, {@code event_id}, {@code timestamp};
 * the ids may be null before a worker claimed the job) and the status's own {@link CallbackBody}.
 *
 * @param timestamp ISO-8601, when the callback was queued
 */
public record CallbackEnvelope(
        String jobId, String valetTaskId, String workerId, String eventId, String timestamp, CallbackBody body) {

    /** The JSON object the callback posts, keys in the contract's order. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", jobId);
        out.put("valet_task_id", valetTaskId);
        out.put("status", body.status());
        out.put("worker_id", workerId);
        out.put("event_id", eventId);
        out.put("timestamp", timestamp);
        body.addTo(out);
        return out;
    }
}
