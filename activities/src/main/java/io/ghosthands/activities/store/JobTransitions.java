package io.ghosthands.activities.store;

import io.ghosthands.workflows.JobStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The API's status changes of {@code gh_automation_jobs} (cancel, retry, a human's resume, the
 * reconciler's repairs), each with its {@code gh_job_events} row. Methods that say so expect the
 * caller's transaction, so that what the caller writes beside them commits with them.
 */
public class JobTransitions {

    /** Statuses a job can be cancelled from (contract section 1). */
    public static final Set<JobStatus> CANCELLABLE =
            Set.of(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSED);

    /** Statuses a job can be retried from. */
    public static final Set<JobStatus> RETRYABLE = Set.of(JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.EXPIRED);

    private final JdbcTemplate jdbc;
    private final RowMapper<JobRow> rows;
    private final JobStore store;

    /** @param jsonReader parses {@code jsonb} values of the rows answered */
    public JobTransitions(DataSource dataSource, Function<String, Object> jsonReader) {
        this.jdbc = new JdbcTemplate(dataSource);
        JsonRows columns = new JsonRows(jsonReader);
        this.rows = (rs, n) -> new JobRow(columns.mapRow(rs, n));
        this.store = new JobStore(dataSource);
    }

    /** How a state-changing request on a job went: its row after the change when {@code done}. */
    public record Transition(boolean done, String fromStatus, JobRow row) {}

    /**
     * Cancels the job if it may be cancelled: row {@code cancelled} with {@code completed_at}, a
     * {@code job_cancelled} event, and no worker's {@code current_job_id} naming it, in one
     * transaction. Otherwise leaves it and reports its status. Caller holds a transaction.
     */
    public Transition cancel(UUID id, String actor) {
        String from = lockStatus(id);
        if (from == null || !CANCELLABLE.contains(JobStatus.of(from))) {
            return new Transition(false, from, null);
        }
        // a job whose final submit was clicked says so, as a failed one does (JobStore#end)
        Map<String, Object> submission = store.submission(id);
        JobRow row = jdbc.query(
                        "UPDATE gh_automation_jobs SET status = 'cancelled', completed_at = now(),"
                                + " status_message = 'Cancelled', paused_at = NULL,"
                                + " result_data = CASE WHEN submitted_at IS NULL THEN result_data"
                                + " ELSE COALESCE(result_data, '{}'::jsonb) || ?::jsonb END"
                                + " WHERE id = ? RETURNING *",
                        rows,
                        Json.write(submission == null ? Map.of() : submission),
                        id)
                .get(0);
        store.event(new JobEvent(
                UUID.randomUUID().toString(),
                id.toString(),
                "job_cancelled",
                from,
                JobStatus.CANCELLED.value(),
                "Cancelled by " + actor,
                Map.of(),
                actor));
        // the worker that held it holds it no more (its workflow's own end is a no-op on an ended job)
        releaseWorker(id);
        return new Transition(true, from, row);
    }

    /**
     * Fails a job that is still {@code fromStatus} (a worker held it, running or paused) because its
     * workflow is gone: {@code failed} with {@code code}, {@code details} and a {@code job_failed}
     * event, its worker's {@code current_job_id} cleared. Leaves a job that moved meanwhile. Caller
     * holds a transaction.
     */
    public Transition failOrphan(
            UUID id, String fromStatus, String code, String message, String detailsJson, String actor) {
        String from = lockStatus(id);
        if (from == null || !from.equals(fromStatus)) {
            return new Transition(false, from, null);
        }
        JobRow row = jdbc.query(
                        "UPDATE gh_automation_jobs SET status = 'failed', completed_at = now(), error_code = ?,"
                                + " status_message = ?, error_details = ?::jsonb, paused_at = NULL WHERE id = ? RETURNING *",
                        rows,
                        code,
                        message,
                        detailsJson,
                        id)
                .get(0);
        store.event(new JobEvent(
                UUID.randomUUID().toString(),
                id.toString(),
                "job_failed",
                from,
                JobStatus.FAILED.value(),
                message,
                Map.of("error_code", code),
                actor));
        releaseWorker(id);
        return new Transition(true, from, row);
    }

    private void releaseWorker(UUID jobId) {
        jdbc.update("UPDATE gh_worker_registry SET current_job_id = NULL WHERE current_job_id = ?", jobId);
    }

    /**
     * Puts a queued job whose workflow is gone back to {@code pending} without a run id, so that its
     * next dispatch records the new run (whose claim the old run id would refuse); false if the row
     * moved meanwhile. With a {@code job_redispatched} event.
     */
    public boolean undispatch(UUID id, String runId) {
        int moved = jdbc.update(
                "UPDATE gh_automation_jobs SET status = 'pending', run_id = NULL,"
                        + " status_message = 'Its workflow was lost; starting it again'"
                        + " WHERE id = ? AND status = 'queued' AND run_id IS NOT DISTINCT FROM ?",
                id,
                runId);
        if (moved == 1) {
            store.event(new JobEvent(
                    UUID.randomUUID().toString(),
                    id.toString(),
                    "job_redispatched",
                    JobStatus.QUEUED.value(),
                    JobStatus.PENDING.value(),
                    "Its workflow was lost (Temporal restarted?); starting it again",
                    Map.of("lost_run_id", runId == null ? "" : runId),
                    "reconciler"));
        }
        return moved == 1;
    }

    /** Sets an ended job's error code and message (e.g. who cancelled it). Caller holds a transaction. */
    public void setErrorCode(UUID id, String code, String message) {
        jdbc.update(
                "UPDATE gh_automation_jobs SET error_code = ?, status_message = ?,"
                        + " error_details = jsonb_build_object('message', ?::text) WHERE id = ?",
                code,
                message,
                message,
                id);
    }

    /**
     * Puts a failed, cancelled or expired job back to {@code pending} for a new attempt under the same
     * id: {@code retry_count} + 1, outcome and worker cleared, {@code job_retried} event. Caller holds a
     * transaction.
     */
    public Transition retry(UUID id, String actor) {
        String from = lockStatus(id);
        if (from == null || !RETRYABLE.contains(JobStatus.of(from))) {
            return new Transition(false, from, null);
        }
        JobRow row = jdbc.query(
                        "UPDATE gh_automation_jobs SET status = 'pending', retry_count = retry_count + 1,"
                                + " status_message = 'Waiting to be dispatched (retry)', worker_id = NULL,"
                                + " started_at = NULL, completed_at = NULL, last_heartbeat = NULL, result_data = NULL,"
                                + " result_summary = NULL, error_code = NULL, error_details = NULL, run_id = NULL,"
                                + " interaction_type = NULL, interaction_data = NULL, paused_at = NULL"
                                + " WHERE id = ? RETURNING *",
                        rows,
                        id)
                .get(0);
        store.event(new JobEvent(
                UUID.randomUUID().toString(),
                id.toString(),
                "job_retried",
                from,
                JobStatus.PENDING.value(),
                "Retry requested by " + actor,
                Map.of("retry_count", row.retryCount()),
                actor));
        return new Transition(true, from, row);
    }

    private String lockStatus(UUID id) {
        List<String> found =
                jdbc.queryForList("SELECT status FROM gh_automation_jobs WHERE id = ? FOR UPDATE", String.class, id);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Moves a paused job to running for a human's resume; false when it is no longer paused. */
    public boolean markResumedByHuman(UUID id) {
        return jdbc.update(
                        "UPDATE gh_automation_jobs SET status = 'running', paused_at = NULL,"
                                + " status_message = 'Resumed by a human' WHERE id = ? AND status = 'paused'",
                        id)
                == 1;
    }

    /** Puts back a resume that did not reach the workflow: paused again, as it was. */
    public void undoResume(UUID id, String pausedAt, String statusMessage) {
        jdbc.update(
                "UPDATE gh_automation_jobs SET status = 'paused', paused_at = ?, status_message = ?"
                        + " WHERE id = ? AND status = 'running'",
                pausedAt == null ? null : Timestamp.from(Instant.parse(pausedAt)),
                statusMessage,
                id);
    }

    /** Appends an event; an event id already written is ignored. */
    public void event(JobEvent event) {
        store.event(event);
    }
}
