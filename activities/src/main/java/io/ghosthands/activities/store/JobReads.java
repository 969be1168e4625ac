package io.ghosthands.activities.store;

import io.ghosthands.workflows.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** Reads of {@code gh_automation_jobs} and {@code gh_job_events} for the API and its sweeps. */
public class JobReads {

    private final JdbcTemplate jdbc;
    private final JsonRows rows;
    private final RowMapper<JobRow> jobRows;

    /** @param jsonReader parses {@code jsonb} values into the tree the caller renders */
    public JobReads(DataSource dataSource, Function<String, Object> jsonReader) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.rows = new JsonRows(jsonReader);
        this.jobRows = (rs, n) -> new JobRow(rows.mapRow(rs, n));
    }

    /** One page of a listing (each row every column, JSON-ready) and how many rows match in all. */
    public record Page(List<Map<String, Object>> rows, long total) {}

    /**
     * What {@code GET /jobs} filters and sorts by. Sort column and direction are whitelisted by the
     * caller before they get here; they are the only values placed in SQL text.
     */
    public record JobFilter(
            List<String> statuses,
            String jobType,
            String targetWorkerId,
            String workerId,
            String eitherWorker,
            String idPrefix,
            int limit,
            int offset,
            String sortColumn,
            boolean ascending) {}

    public Page list(JobFilter f) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (!f.statuses().isEmpty()) {
            where.append(" AND status = ANY (?)");
            args.add(f.statuses().toArray(new String[0]));
        }
        filter(where, args, " AND job_type = ?", f.jobType());
        filter(where, args, " AND target_worker_id = ?", f.targetWorkerId());
        filter(where, args, " AND worker_id = ?", f.workerId());
        if (f.eitherWorker() != null) {
            where.append(" AND (worker_id = ? OR target_worker_id = ?)");
            args.add(f.eitherWorker());
            args.add(f.eitherWorker());
        }
        if (f.idPrefix() != null) {
            where.append(" AND id::text LIKE ?");
            args.add(f.idPrefix().toLowerCase(Locale.ROOT) + "%");
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(f.limit());
        pageArgs.add(f.offset());
        List<Map<String, Object>> page = jdbc.query(
                "SELECT * FROM gh_automation_jobs" + where + " ORDER BY " + orderBy(f) + ", id LIMIT ? OFFSET ?",
                rows,
                pageArgs.toArray());
        return new Page(page, total == null ? 0 : total);
    }

    private static void filter(StringBuilder where, List<Object> args, String condition, String value) {
        if (value != null) {
            where.append(condition);
            args.add(value);
        }
    }

    /**
     * The whitelisted ORDER BY. {@code relevance}: what needs attention first (running, queued,
     * pending, paused, then failed, completed, the rest), newest first within each.
     */
    private static String orderBy(JobFilter f) {
        if (f.sortColumn().equals("relevance")) {
            return "CASE status WHEN 'running' THEN 0 WHEN 'queued' THEN 1 WHEN 'pending' THEN 2 WHEN 'paused' THEN 3"
                    + " WHEN 'failed' THEN 4 WHEN 'completed' THEN 5 ELSE 6 END, created_at DESC";
        }
        return f.sortColumn() + (f.ascending() ? " ASC" : " DESC") + " NULLS LAST";
    }

    /** The job's events, oldest first. */
    public Page events(UUID jobId, int limit, int offset) {
        Long total = jdbc.queryForObject("SELECT count(*) FROM gh_job_events WHERE job_id = ?", Long.class, jobId);
        List<Map<String, Object>> page = jdbc.query(
                "SELECT id, job_id, event_type, from_status, to_status, message, metadata, actor, created_at"
                        + " FROM gh_job_events WHERE job_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?",
                rows,
                jobId,
                limit,
                offset);
        return new Page(page, total == null ? 0 : total);
    }

    /** The job's row, or empty. */
    public Optional<JobRow> find(UUID id) {
        return jdbc.query("SELECT * FROM gh_automation_jobs WHERE id = ?", jobRows, id).stream()
                .findFirst();
    }

    /** The job's status, or empty when there is no such job. */
    public Optional<JobStatus> status(UUID id) {
        return jdbc.queryForList("SELECT status FROM gh_automation_jobs WHERE id = ?", String.class, id).stream()
                .findFirst()
                .map(JobStatus::of);
    }

    /** The job with this idempotency key, or empty. */
    public Optional<JobRef> findByIdempotencyKey(String key) {
        return jdbc
                .query(
                        "SELECT id::text, status FROM gh_automation_jobs WHERE idempotency_key = ?",
                        (rs, n) -> new JobRef(rs.getString(1), rs.getString(2)),
                        key)
                .stream()
                .findFirst();
    }

    /** The job that holds this VALET task, or empty when a new job may take it. */
    public Optional<JobRef> valetTaskHolder(String valetTaskId) {
        return jdbc
                .query(
                        "SELECT id::text, status FROM gh_valet_task_holder(?)",
                        (rs, n) -> new JobRef(rs.getString(1), rs.getString(2)),
                        valetTaskId)
                .stream()
                .findFirst();
    }

    /**
     * Jobs a workflow should be carrying (queued, running, paused) whose row has not changed for
     * {@code olderThanSeconds}: the ones whose workflow may be gone, oldest first.
     */
    public List<JobRow> quiet(int olderThanSeconds, int limit) {
        return jdbc.query(
                "SELECT * FROM gh_automation_jobs WHERE status IN ('queued', 'running', 'paused')"
                        + " AND updated_at < now() - make_interval(secs => ?) ORDER BY updated_at LIMIT ?",
                jobRows,
                olderThanSeconds,
                limit);
    }

    /** Jobs still pending after {@code olderThanSeconds}: their workflow start failed or was lost. */
    public List<JobRow> undispatched(int olderThanSeconds, int limit) {
        return jdbc.query(
                "SELECT * FROM gh_automation_jobs WHERE status = 'pending'"
                        // updated_at, not created_at: a job just put back to pending by a retry is being
                        // dispatched by that request right now
                        + " AND updated_at < now() - make_interval(secs => ?) ORDER BY created_at LIMIT ?",
                jobRows,
                olderThanSeconds,
                limit);
    }

    /** The ids of the active jobs (pending, queued, running, paused) on or aimed at this worker. */
    public List<UUID> activeOnWorker(String worker) {
        return jdbc.queryForList(
                "SELECT id FROM gh_automation_jobs WHERE status IN ('pending','queued','running','paused')"
                        + " AND (worker_id = ? OR target_worker_id = ?)",
                UUID.class,
                worker,
                worker);
    }
}
