package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobStore;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The API side of {@code gh_automation_jobs}: inserts, dispatch marks and reads. */
@Repository
public class JobRepository {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcTemplate jdbc;
  private final JobStore store;

  public JobRepository(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.store = new JobStore(dataSource);
  }

  /** Inserts the job as {@code pending}; returns its {@code created_at}. Caller holds a transaction. */
  public OffsetDateTime insert(UUID id, String workflowId, NewJob job) {
    return jdbc.queryForObject(
        "INSERT INTO gh_automation_jobs (id, idempotency_key, user_id, created_by, job_type, target_url,"
            + " task_description, input_data, priority, scheduled_at, max_retries, timeout_seconds,"
            + " tags, metadata, callback_url, valet_task_id, target_worker_id, worker_affinity,"
            + " workflow_id, status, status_message)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?,"
            + " 'pending', 'Waiting to be dispatched') RETURNING created_at",
        OffsetDateTime.class,
        id,
        job.idempotencyKey(),
        job.userId(),
        job.createdBy(),
        job.jobType(),
        job.targetUrl(),
        job.taskDescription(),
        job.inputDataJson(),
        job.priority(),
        job.scheduledAt(),
        job.maxRetries(),
        job.timeoutSeconds(),
        job.tagsJson(),
        job.metadataJson(),
        job.callbackUrl(),
        job.valetTaskId(),
        job.targetWorkerId(),
        job.workerAffinity(),
        workflowId);
  }

  public void event(JobEvent event) {
    store.event(event);
  }

  /**
   * Marks a pending job queued on {@code taskQueue}. Returns false when the job already moved on (a
   * worker claimed it before this write), in which case the status is left alone.
   */
  public boolean markQueued(UUID id, String runId, String taskQueue) {
    return jdbc.update(
            "UPDATE gh_automation_jobs SET status = 'queued', run_id = ?, status_message = ?"
                + " WHERE id = ? AND status = 'pending'",
            runId,
            "Queued on " + taskQueue,
            id)
        == 1;
  }

  /** Records the run id without touching the status. */
  public void setRunId(UUID id, String runId) {
    jdbc.update("UPDATE gh_automation_jobs SET run_id = ? WHERE id = ? AND run_id IS NULL", runId, id);
  }

  /** Jobs still pending after {@code olderThanSeconds}: their workflow start failed or was lost. */
  public List<Map<String, Object>> undispatched(int olderThanSeconds, int limit) {
    return jdbc.query(
        "SELECT * FROM gh_automation_jobs WHERE status = 'pending'"
            + " AND created_at < now() - make_interval(secs => ?) ORDER BY created_at LIMIT ?",
        (rs, n) -> toMap(rs),
        olderThanSeconds,
        limit);
  }

  /** The job's row as JSON-ready values (jsonb parsed, timestamps ISO-8601 UTC), or empty. */
  public Optional<Map<String, Object>> find(UUID id) {
    return jdbc.query("SELECT * FROM gh_automation_jobs WHERE id = ?", (rs, n) -> toMap(rs), id).stream()
        .findFirst();
  }

  /** The job with this idempotency key, as {@code [id, status]}, or empty. */
  public Optional<Map<String, Object>> findByIdempotencyKey(String key) {
    return jdbc
        .query(
            "SELECT id, status FROM gh_automation_jobs WHERE idempotency_key = ?",
            (rs, n) -> toMap(rs),
            key)
        .stream()
        .findFirst();
  }

  static Map<String, Object> toMap(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String name = meta.getColumnLabel(i);
      String type = meta.getColumnTypeName(i);
      Object value;
      if ("jsonb".equals(type) || "json".equals(type)) {
        String text = rs.getString(i);
        value = text == null ? null : JSON.readTree(text);
      } else if ("timestamptz".equals(type)) {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        value = t == null ? null : t.toInstant().toString();
      } else if ("uuid".equals(type)) {
        Object u = rs.getObject(i);
        value = u == null ? null : u.toString();
      } else {
        value = rs.getObject(i);
      }
      row.put(name, value);
    }
    return row;
  }
}
