package io.ghosthands.activities.store;

import io.ghosthands.workflows.JobStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a worker's attempt at a job ends ({@link JobStore#complete}, {@link JobStore#end},
 * {@link JobStore#requeue}): the row, the worker's counters and the event in one transaction, a
 * no-op for a job that already ended or belongs to another run.
 */
final class JobEnds {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobStore store;

    JobEnds(JdbcTemplate jdbc, TransactionTemplate tx, JobStore store) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.store = store;
    }

    void complete(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            Map<String, Object> resultData,
            String summary,
            List<String> screenshotUrls,
            Integer actionCount) {
        tx.executeWithoutResult(status -> {
            String from = store.lockActive(jobId, runId);
            if (from == null) {
                return;
            }
            jdbc.update(
                    "UPDATE gh_automation_jobs SET status = 'completed', completed_at = now(),"
                            + " result_data = ?::jsonb, result_summary = ?, status_message = ?,"
                            + " screenshot_urls = screenshot_urls || ?::jsonb, error_code = NULL,"
                            + " error_details = NULL, action_count = COALESCE(?::integer, action_count) WHERE id = ?",
                    Json.write(resultData),
                    summary,
                    summary,
                    Json.write(screenshotUrls),
                    actionCount,
                    jobId);
            countOutcome(actor, jobId, "jobs_completed");
            store.event(new JobEvent(
                    eventId,
                    jobId.toString(),
                    "job_completed",
                    from,
                    JobStatus.COMPLETED.value(),
                    summary,
                    Map.of("result_summary", summary),
                    actor));
        });
    }

    /** See {@link JobStore#end}. */
    Map<String, Object> end(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            String endStatus,
            String errorCode,
            String message,
            Map<String, Object> details,
            Integer actionCount) {
        return tx.execute(status -> {
            String from = store.lockActive(jobId, runId);
            Map<String, Object> submission = store.submission(jobId);
            if (from == null) {
                return submission;
            }
            LinkedHashMap<String, Object> errorDetails = new LinkedHashMap<>();
            errorDetails.put("message", message);
            errorDetails.putAll(details);
            Map<String, Object> work = workDone(errorDetails, submission);
            jdbc.update(
                    "UPDATE gh_automation_jobs SET status = ?, completed_at = now(), error_code = ?,"
                            + " error_details = ?::jsonb, status_message = ?,"
                            + " screenshot_urls = screenshot_urls || ?::jsonb, action_count = COALESCE(?::integer, action_count),"
                            + " result_data = CASE WHEN ?::jsonb = '{}'::jsonb THEN result_data"
                            + " ELSE COALESCE(result_data, '{}'::jsonb) || ?::jsonb END"
                            + " WHERE id = ?",
                    endStatus,
                    errorCode,
                    Json.write(errorDetails),
                    message,
                    Json.write(screenshots(work, details)),
                    actionCount,
                    Json.write(work),
                    Json.write(work),
                    jobId);
            countOutcome(actor, jobId, JobStatus.FAILED.value().equals(endStatus) ? "jobs_failed" : null);
            store.event(new JobEvent(
                    eventId,
                    jobId.toString(),
                    JobStatus.CANCELLED.value().equals(endStatus) ? "job_cancelled" : "job_failed",
                    from,
                    endStatus,
                    message,
                    endMetadata(details, errorCode, submission),
                    actor));
            return submission;
        });
    }

    /**
     * What the engine did before it failed, which is the job's {@code result_data} as for a finished
     * job (taken out of {@code errorDetails}), with the submission record if there is one.
     */
    private static Map<String, Object> workDone(Map<String, Object> errorDetails, Map<String, Object> submission) {
        LinkedHashMap<String, Object> work = new LinkedHashMap<>();
        if (errorDetails.remove("result_data") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> work.put(String.valueOf(k), v));
        }
        if (submission != null) {
            work.putAll(submission);
        }
        return work;
    }

    /** The screenshots to add to the row: those of the work done, and the failure's own. */
    private static List<Object> screenshots(Map<String, Object> work, Map<String, Object> details) {
        List<Object> shots = new ArrayList<>(work.get("screenshot_urls") instanceof List<?> l ? l : List.of());
        Object screenshot = details.get("screenshot_url");
        if (screenshot != null && !shots.contains(screenshot)) {
            shots.add(screenshot);
        }
        return shots;
    }

    /** The end's event metadata: what happened, not all of it (result_data is stored in the row). */
    private static Map<String, Object> endMetadata(
            Map<String, Object> details, String errorCode, Map<String, Object> submission) {
        LinkedHashMap<String, Object> meta = new LinkedHashMap<>(details);
        meta.remove("result_data");
        if (errorCode != null) {
            meta.put("error_code", errorCode);
        }
        if (submission != null) {
            meta.putAll(submission);
        }
        return meta;
    }

    void requeue(
            UUID jobId,
            String runId,
            String eventId,
            String actor,
            String errorCode,
            String message,
            int attempt,
            int backoffSeconds) {
        tx.executeWithoutResult(status -> {
            String from = store.lockActive(jobId, runId);
            if (from == null) {
                return;
            }
            LinkedHashMap<String, Object> last = new LinkedHashMap<>();
            last.put("error_code", errorCode);
            last.put("message", message);
            last.put("worker_id", actor);
            String note = "Retrying in " + backoffSeconds + "s (attempt " + (attempt + 1) + ") after " + errorCode;
            jdbc.update(
                    "UPDATE gh_automation_jobs SET status = 'queued', retry_count = retry_count + 1, worker_id = NULL,"
                            + " status_message = ?, error_details = jsonb_build_object('last_attempt', ?::jsonb)"
                            + " WHERE id = ?",
                    note,
                    Json.write(last),
                    jobId);
            // the worker let the job go: it is not its current job while it waits for its retry
            countOutcome(actor, jobId, null);
            LinkedHashMap<String, Object> meta = new LinkedHashMap<>(last);
            meta.put("automatic", true);
            meta.put("attempt", attempt);
            meta.put("backoff_seconds", backoffSeconds);
            store.event(new JobEvent(
                    eventId, jobId.toString(), "job_retried", from, JobStatus.QUEUED.value(), note, meta, actor));
        });
    }

    /**
     * Counts a finished job on its worker's registry row ({@code counter} null: count nothing) and
     * clears the row's current job if it was this one. Same transaction as the job's end, so a
     * repeated end (a no-op) never counts twice.
     */
    private void countOutcome(String workerId, UUID jobId, String counter) {
        if (counter != null) {
            jdbc.update(
                    "UPDATE gh_worker_registry SET " + counter + " = " + counter + " + 1 WHERE worker_id = ?",
                    workerId);
        }
        jdbc.update(
                "UPDATE gh_worker_registry SET current_job_id = NULL WHERE worker_id = ? AND current_job_id = ?",
                workerId,
                jobId);
    }
}
