package io.ghosthands.activities.store;

import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.workflows.JobStatus;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker side of the Postgres mirror: status transitions of {@code gh_automation_jobs}, each with
 * its {@code gh_job_events} row in the same transaction. Transitions only move forward: a job that
 * already ended is never moved again, so late or repeated writes are harmless.
 */
public class JobStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobEnds ends;

    public JobStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.ends = new JobEnds(jdbc, tx, this);
    }

    /**
     * What a claim hands the workflow besides ownership.
     *
     * @param fromStatus the status the job had
     * @param callbackUrl its {@code callback_url}, or null
     * @param valetTaskId its {@code valet_task_id}, or null
     * @param hitlTimeoutSeconds its {@code input_data.hitl_timeout_seconds}, or null for the default
     * @param submission when a submit was already clicked: {@code submitted_at} and what was recorded
     */
    public record ClaimedJob(
            String fromStatus,
            String callbackUrl,
            String valetTaskId,
            Integer hitlTimeoutSeconds,
            Map<String, Object> submission) {}

    /**
     * Marks the job running on {@code workerId} for workflow run {@code runId}. Returns what the
     * workflow needs to know, or empty when the job had already ended or belongs to another run (and
     * was left alone).
     */
    public Optional<ClaimedJob> claim(UUID jobId, String runId, String workerId, String eventId) {
        return tx.execute(status -> {
            String from = lockActive(jobId, runId);
            if (from == null) { // ended, or another run's
                return Optional.<ClaimedJob>empty();
            }
            jdbc.update(
                    "UPDATE gh_automation_jobs SET status = 'running', worker_id = ?, started_at = now(),"
                            + " last_heartbeat = now(), status_message = ?, run_id = ?, paused_at = NULL,"
                            + " interaction_type = NULL, interaction_data = NULL WHERE id = ?",
                    workerId,
                    "Running on " + workerId,
                    runId,
                    jobId);
            jdbc.update("UPDATE gh_worker_registry SET current_job_id = ? WHERE worker_id = ?", jobId, workerId);
            event(new JobEvent(
                    eventId,
                    jobId.toString(),
                    "job_started",
                    from,
                    JobStatus.RUNNING.value(),
                    "Claimed by " + workerId,
                    Map.of("worker_id", workerId),
                    workerId));
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT callback_url, valet_task_id, input_data->>'hitl_timeout_seconds' AS hitl,"
                            + " submitted_at, submission_result::text AS submission FROM gh_automation_jobs WHERE id = ?",
                    jobId);
            Map<String, Object> submission = null;
            if (row.get("submitted_at") != null) {
                submission = new LinkedHashMap<>();
                submission.put("submitted_at", row.get("submitted_at").toString());
                if (row.get("submission") != null) {
                    submission.putAll(Json.readMap((String) row.get("submission")));
                }
            }
            Integer hitl = null;
            try {
                hitl = row.get("hitl") == null ? null : (int) Double.parseDouble((String) row.get("hitl"));
            } catch (NumberFormatException e) {
                // validated at creation; an odd value just means the default
            }
            return Optional.of(new ClaimedJob(
                    from, (String) row.get("callback_url"), (String) row.get("valet_task_id"), hitl, submission));
        });
    }

    /**
     * Marks a running job paused for a human: {@code interaction_type}/{@code interaction_data}
     * (nothing secret), {@code paused_at}, a status message, event {@code hitl_paused}.
     */
    public void pause(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            String reason,
            Map<String, Object> interaction,
            String description) {
        tx.executeWithoutResult(status -> {
            String from = lockActive(jobId, runId);
            if (from == null) {
                return;
            }
            String message = "Waiting for human: " + description;
            jdbc.update(
                    "UPDATE gh_automation_jobs SET status = 'paused', paused_at = now(), interaction_type = ?,"
                            + " interaction_data = ?::jsonb, status_message = ? WHERE id = ?",
                    reason,
                    Json.write(interaction),
                    message,
                    jobId);
            event(new JobEvent(
                    eventId,
                    jobId.toString(),
                    "hitl_paused",
                    from,
                    JobStatus.PAUSED.value(),
                    message,
                    interaction,
                    actor));
        });
    }

    /**
     * Records that the final submit is about to be clicked ({@code submitted_at}, kept if already
     * set) with its event. Written even for a job that meanwhile ended: the record protects against a
     * second submission whatever the status says. Returns true when this call set the record (it was
     * empty), which is what {@link #withdrawSubmitting} may later take back.
     */
    public boolean markSubmitting(UUID jobId, String eventId, String actor) {
        Boolean fresh = tx.execute(status -> {
            List<Boolean> empty = jdbc.queryForList(
                    "SELECT submitted_at IS NULL FROM gh_automation_jobs WHERE id = ? FOR UPDATE",
                    Boolean.class,
                    jobId);
            jdbc.update(
                    "UPDATE gh_automation_jobs SET submitted_at = COALESCE(submitted_at, now()),"
                            + " status_message = 'Submitting the application' WHERE id = ?",
                    jobId);
            event(new JobEvent(
                    eventId,
                    jobId.toString(),
                    "submit_started",
                    JobStatus.RUNNING.value(),
                    JobStatus.RUNNING.value(),
                    "Clicking the final submit",
                    Map.of("worker_id", actor),
                    actor));
            return !empty.isEmpty() && Boolean.TRUE.equals(empty.get(0));
        });
        return Boolean.TRUE.equals(fresh);
    }

    /**
     * Takes back a submit record that {@link #markSubmitting} set (event {@code markEventId}) when the
     * click then did not happen (the workflow no longer wanted it, the step was stopped first): a
     * later attempt may then apply, instead of reporting a submission that never went out. Kept when
     * a confirmation was recorded or another submit was started after this one. Returns whether it
     * was taken back.
     */
    public boolean withdrawSubmitting(UUID jobId, String markEventId, String eventId, String actor, String why) {
        Boolean withdrawn = tx.execute(status -> {
            int rows = jdbc.update(
                    "UPDATE gh_automation_jobs SET submitted_at = NULL, status_message = ? WHERE id = ?"
                            + " AND submission_result IS NULL AND NOT EXISTS (SELECT 1 FROM gh_job_events e"
                            + " WHERE e.job_id = ? AND e.event_type = 'submit_started' AND e.id <> ?::uuid AND e.created_at"
                            + " >= (SELECT m.created_at FROM gh_job_events m WHERE m.id = ?::uuid))",
                    "The final submit was not clicked: " + why,
                    jobId,
                    jobId,
                    markEventId,
                    markEventId);
            if (rows == 0) {
                return false;
            }
            event(new JobEvent(
                    eventId,
                    jobId.toString(),
                    "submit_withdrawn",
                    null,
                    null,
                    "The final submit was not clicked (" + why + "); its record is taken back",
                    Map.of("worker_id", actor),
                    actor));
            return true;
        });
        return Boolean.TRUE.equals(withdrawn);
    }

    /** Records the confirmation a submission reached, for any later attempt of the job to report. */
    public void recordSubmission(UUID jobId, Map<String, Object> resultData, String summary, List<String> screenshots) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("result_data", resultData);
        record.put("result_summary", summary);
        record.put("screenshot_urls", screenshots);
        jdbc.update(
                "UPDATE gh_automation_jobs SET submitted_at = COALESCE(submitted_at, now()), submission_result = ?::jsonb"
                        + " WHERE id = ?",
                Json.write(record),
                jobId);
    }

    /**
     * Writes an event; with {@code toStatus}, also moves the job from {@code paused} to it (a resume;
     * the API may have done so already).
     */
    public void note(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            String type,
            String message,
            Map<String, Object> metadata,
            String toStatus) {
        tx.executeWithoutResult(status -> {
            String from = null;
            if (toStatus != null) {
                from = lockActive(jobId, runId);
                if (from == null) {
                    return;
                }
                jdbc.update(
                        "UPDATE gh_automation_jobs SET status = ?, paused_at = NULL, status_message = ?"
                                + " WHERE id = ? AND status = 'paused'",
                        toStatus,
                        message,
                        jobId);
            }
            event(new JobEvent(eventId, jobId.toString(), type, from, toStatus, message, metadata, actor));
        });
    }

    /** What an engine needs to know about the job (its input, as stored). */
    public JobSpec spec(UUID jobId, Path resumeFile) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT job_type, target_url, task_description, input_data::text AS input,"
                        + " resume_ref::text AS resume_ref FROM gh_automation_jobs WHERE id = ?",
                jobId);
        Map<String, Object> input = Json.readMap((String) row.get("input"));
        Map<String, Object> resumeRef = Json.readMap((String) row.get("resume_ref"));
        if (resumeRef != null && (input == null || !input.containsKey("resume_ref"))) {
            input = input == null ? new LinkedHashMap<>() : new LinkedHashMap<>(input);
            input.put("resume_ref", resumeRef);
        }
        return new JobSpec(
                jobId.toString(),
                (String) row.get("job_type"),
                (String) row.get("target_url"),
                (String) row.get("task_description"),
                input == null ? Map.of() : input,
                resumeFile);
    }

    /** Records that the job's worker is alive and working on it. */
    public void heartbeat(UUID jobId) {
        jdbc.update("UPDATE gh_automation_jobs SET last_heartbeat = now() WHERE id = ? AND status = 'running'", jobId);
    }

    /**
     * Marks the job completed with its result and {@code action_count} (null: left as it is); no-op
     * if it already ended.
     */
    public void complete(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            Map<String, Object> resultData,
            String summary,
            List<String> screenshotUrls,
            Integer actionCount) {
        ends.complete(jobId, runId, eventId, actor, resultData, summary, screenshotUrls, actionCount);
    }

    /**
     * Ends the job as {@code failed}, {@code cancelled} or {@code expired}; no-op if it already ended.
     * {@code error_details} gets {@code message} plus {@code details}; {@code action_count} (null:
     * left as it is) what the attempt did. A job whose final submit was clicked says so in
     * {@code result_data} ({@link #submission}): its application may have reached the site.
     *
     * @return {@link #submission} of the job (also when it had already ended), or null
     */
    public Map<String, Object> end(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            String endStatus,
            String errorCode,
            String message,
            Map<String, Object> details,
            Integer actionCount) {
        return ends.end(jobId, runId, eventId, actor, endStatus, errorCode, message, details, actionCount);
    }

    /**
     * Whether the job's application reached the site: {@code submitted_at} (ISO-8601, when its final
     * submit was clicked) and {@code submission_confirmed} (whether the site's confirmation was
     * recorded after it), or null when no submit was ever clicked.
     */
    public Map<String, Object> submission(UUID jobId) {
        List<Map<String, Object>> rows = jdbc.query(
                "SELECT submitted_at, submission_result -> 'result_data' IS NOT NULL AS confirmed"
                        + " FROM gh_automation_jobs WHERE id = ?",
                (rs, n) -> {
                    Timestamp at = rs.getTimestamp("submitted_at");
                    if (at == null) {
                        return null;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("submitted_at", at.toInstant().toString());
                    m.put("submission_confirmed", rs.getBoolean("confirmed"));
                    return m;
                },
                jobId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * Puts a running job back to {@code queued} for an automatic retry: {@code retry_count} + 1, the
     * worker released, the failed attempt kept in {@code error_details.last_attempt}. No-op if the job
     * already ended or belongs to another run.
     */
    public void requeue(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            String errorCode,
            String message,
            int attempt,
            int backoffSeconds) {
        ends.requeue(jobId, runId, eventId, actor, errorCode, message, attempt, backoffSeconds);
    }

    /** Appends an event; an event id already written is ignored. */
    public void event(JobEvent e) {
        jdbc.update(
                "INSERT INTO gh_job_events (id, job_id, event_type, from_status, to_status, message,"
                        + " metadata, actor) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (id) DO NOTHING",
                UUID.fromString(e.id()),
                UUID.fromString(e.jobId()),
                e.type(),
                e.fromStatus(),
                e.toStatus(),
                e.message(),
                Json.write(e.metadata()),
                e.actor());
    }

    /**
     * Locks the job's row and returns its status if it has not ended and is not owned by another
     * workflow run (a run superseded by a retry must not write over the new attempt), else null.
     */
    String lockActive(UUID jobId, String runId) {
        List<Map<String, Object>> rows =
                jdbc.queryForList("SELECT status, run_id FROM gh_automation_jobs WHERE id = ? FOR UPDATE", jobId);
        if (rows.isEmpty()) {
            return null;
        }
        String status = (String) rows.get(0).get("status");
        Object owner = rows.get(0).get("run_id");
        if (runId != null && owner != null && !owner.equals(runId)) {
            return null;
        }
        return JobStatus.of(status).isTerminal() ? null : status;
    }
}
