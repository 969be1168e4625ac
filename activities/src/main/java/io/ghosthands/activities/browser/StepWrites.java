package io.ghosthands.activities.browser;

import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobStore;
import java.util.Map;
import java.util.UUID;

/**
 * What a step writes about its job off the lane: events and artifacts, each after the job's earlier
 * writes (see {@link OrderedWrites}), so that a slow or restarting database never holds the browser.
 */
final class StepWrites {

    private final OrderedWrites writes = new OrderedWrites();
    private final JobStore jobs;
    private final ArtifactStore artifacts;

    StepWrites(JobStore jobs, ArtifactStore artifacts) {
        this.jobs = jobs;
        this.artifacts = artifacts;
    }

    /** A job event, written after the job's earlier writes. */
    void event(String jobId, String type, String message, Map<String, Object> metadata, String source) {
        JobEvent e = new JobEvent(
                UUID.randomUUID().toString(),
                jobId,
                type,
                null,
                null,
                message,
                metadata == null ? Map.of() : metadata,
                source);
        writes.submit(jobId, () -> jobs.event(e));
    }

    /** Stores an artifact after the job's earlier writes, off the lane; its URL is known at once. */
    String saveLater(UUID jobId, String kind, String name, String contentType, byte[] bytes) {
        UUID id = UUID.randomUUID();
        writes.submit(jobId.toString(), () -> artifacts.save(id, jobId, kind, name, contentType, bytes));
        return artifacts.url(id);
    }

    /** Waits (bounded) until the job's writes so far are stored. */
    void flush(String jobId, int seconds) {
        writes.flush(jobId, seconds);
    }

    /** As {@link #flush(String, int)}, running {@code whileWaiting} now and then meanwhile. */
    void flush(String jobId, int seconds, Runnable whileWaiting) {
        writes.flush(jobId, seconds, whileWaiting);
    }
}
