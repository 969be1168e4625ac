package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.activities.store.JobReads;
import io.ghosthands.activities.store.JobRef;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.activities.store.JobTransitions;
import io.ghosthands.workflows.JobStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's handle on the job store ({@code io.ghosthands.activities.store}, which holds every
 * statement): reads, inserts and transitions of {@code gh_automation_jobs}, with {@code jsonb}
 * values read as the API's JSON trees so that rows render as they are stored.
 */
@Repository
public class JobRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How the API reads a {@code jsonb} value: a tree of the JSON library that renders its answers. */
    public static final Function<String, Object> JSON_READER = JSON::readTree;

    private final JobReads reads;
    private final JobInserts inserts;
    private final JobTransitions transitions;

    public JobRepository(DataSource dataSource) {
        this.reads = new JobReads(dataSource, JSON_READER);
        this.inserts = new JobInserts(dataSource);
        this.transitions = new JobTransitions(dataSource, JSON_READER);
    }

    public JobReads.Page list(JobReads.JobFilter filter) {
        return reads.list(filter);
    }

    public JobReads.Page events(UUID jobId, int limit, int offset) {
        return reads.events(jobId, limit, offset);
    }

    /** The job's row, or empty. */
    public Optional<JobRow> find(UUID id) {
        return reads.find(id);
    }

    public Optional<JobStatus> status(UUID id) {
        return reads.status(id);
    }

    public Optional<JobRef> findByIdempotencyKey(String key) {
        return reads.findByIdempotencyKey(key);
    }

    public Optional<JobRef> valetTaskHolder(String valetTaskId) {
        return reads.valetTaskHolder(valetTaskId);
    }

    public List<JobRow> quiet(int olderThanSeconds, int limit) {
        return reads.quiet(olderThanSeconds, limit);
    }

    public List<JobRow> undispatched(int olderThanSeconds, int limit) {
        return reads.undispatched(olderThanSeconds, limit);
    }

    public List<UUID> activeOnWorker(String worker) {
        return reads.activeOnWorker(worker);
    }

    public Map<UUID, OffsetDateTime> insertAll(List<JobInserts.Insert> rows) {
        return inserts.insertAll(rows);
    }

    public Optional<OffsetDateTime> insert(JobInserts.Insert row) {
        return inserts.insert(row);
    }

    public Map<UUID, String> markDispatched(List<JobInserts.Started> started, String taskQueue) {
        return inserts.markDispatched(started, taskQueue);
    }

    /** See {@link JobTransitions#cancel}. Caller holds a transaction. */
    public JobTransitions.Transition cancel(UUID id, String actor) {
        return transitions.cancel(id, actor);
    }

    /** See {@link JobTransitions#failOrphan}. Caller holds a transaction. */
    public JobTransitions.Transition failOrphan(
            UUID id, String fromStatus, String code, String message, String detailsJson, String actor) {
        return transitions.failOrphan(id, fromStatus, code, message, detailsJson, actor);
    }

    public boolean undispatch(UUID id, String runId) {
        return transitions.undispatch(id, runId);
    }

    public void setErrorCode(UUID id, String code, String message) {
        transitions.setErrorCode(id, code, message);
    }

    /** See {@link JobTransitions#retry}. Caller holds a transaction. */
    public JobTransitions.Transition retry(UUID id, String actor) {
        return transitions.retry(id, actor);
    }

    public boolean markResumedByHuman(UUID id) {
        return transitions.markResumedByHuman(id);
    }

    public void undoResume(UUID id, String pausedAt, String statusMessage) {
        transitions.undoResume(id, pausedAt, statusMessage);
    }

    public void event(JobEvent event) {
        transitions.event(event);
    }
}
