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
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The API side of {@code gh_automation_jobs}: inserts, dispatch marks and reads. */
@Repository
public class JobRepository {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcTemplate jdbc;
  private final JobStore store;
  private final TransactionTemplate tx;

  public JobRepository(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.store = new JobStore(dataSource);
    // joins the caller's transaction when there is one (a batch create)
    this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** Statuses a job can be cancelled from (contract section 1). */
  public static final List<String> CANCELLABLE = List.of("pending", "queued", "running", "paused");

  /** Statuses of a job that has ended. */
  public static final List<String> ENDED = List.of("completed", "failed", "cancelled", "expired");

  /** Statuses a job can be retried from. */
  public static final List<String> RETRYABLE = List.of("failed", "cancelled", "expired");

  /** One page of a listing and how many rows match in all. */
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
    List<Object> args = new java.util.ArrayList<>();
    if (!f.statuses().isEmpty()) {
      where.append(" AND status = ANY (?)");
      args.add(f.statuses().toArray(new String[0]));
    }
    if (f.jobType() != null) {
      where.append(" AND job_type = ?");
      args.add(f.jobType());
    }
    if (f.targetWorkerId() != null) {
      where.append(" AND target_worker_id = ?");
      args.add(f.targetWorkerId());
    }
    if (f.workerId() != null) {
      where.append(" AND worker_id = ?");
      args.add(f.workerId());
    }
    if (f.eitherWorker() != null) {
      where.append(" AND (worker_id = ? OR target_worker_id = ?)");
      args.add(f.eitherWorker());
      args.add(f.eitherWorker());
    }
    if (f.idPrefix() != null) {
      where.append(" AND id::text LIKE ?");
      args.add(f.idPrefix().toLowerCase(java.util.Locale.ROOT) + "%");
    }
    Long total = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs" + where, Long.class, args.toArray());
    List<Object> pageArgs = new java.util.ArrayList<>(args);
    pageArgs.add(f.limit());
    pageArgs.add(f.offset());
    List<Map<String, Object>> rows =
        jdbc.query(
            "SELECT * FROM gh_automation_jobs" + where + " ORDER BY " + orderBy(f) + ", id LIMIT ? OFFSET ?",
            (rs, n) -> toMap(rs),
            pageArgs.toArray());
    return new Page(rows, total == null ? 0 : total);
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
    List<Map<String, Object>> rows =
        jdbc.query(
            "SELECT id, job_id, event_type, from_status, to_status, message, metadata, actor, created_at"
                + " FROM gh_job_events WHERE job_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?",
            (rs, n) -> toMap(rs),
            jobId,
            limit,
            offset);
    return new Page(rows, total == null ? 0 : total);
  }

  /** How a state-changing request on a job went. */
  public record Transition(boolean done, String fromStatus, Map<String, Object> row) {}

  /**
   * Cancels the job if it may be cancelled: row {@code cancelled} with {@code completed_at}, a
   * {@code job_cancelled} event, and no worker's {@code current_job_id} naming it, in one transaction. Otherwise leaves it and reports its status.
   * Caller holds a transaction.
   */
  public Transition cancel(UUID id, String actor) {
    String from = lockStatus(id);
    if (from == null || !CANCELLABLE.contains(from)) {
      return new Transition(false, from, null);
    }
    // a job whose final submit was clicked says so, as a failed one does (JobStore#end)
    Map<String, Object> submission = store.submission(id);
    Map<String, Object> row =
        jdbc.query(
                "UPDATE gh_automation_jobs SET status = 'cancelled', completed_at = now(),"
                    + " status_message = 'Cancelled', paused_at = NULL,"
                    + " result_data = CASE WHEN submitted_at IS NULL THEN result_data"
                    + " ELSE COALESCE(result_data, '{}'::jsonb) || ?::jsonb END"
                    + " WHERE id = ? RETURNING *",
                (rs, n) -> toMap(rs),
                io.ghosthands.activities.store.Json.write(submission == null ? Map.of() : submission),
                id)
            .get(0);
    store.event(
        new JobEvent(
            UUID.randomUUID().toString(), id.toString(), "job_cancelled", from, "cancelled",
            "Cancelled by " + actor, Map.of(), actor));
    // the worker that held it holds it no more (its workflow's own end is a no-op on an ended job)
    jdbc.update("UPDATE gh_worker_registry SET current_job_id = NULL WHERE current_job_id = ?", id);
    return new Transition(true, from, row);
  }

  /**
   * Fails a job that is still {@code fromStatus} (a worker held it, running or paused) because its
   * workflow is gone: {@code failed} with {@code code}, {@code details} and a {@code job_failed}
   * event, its worker's {@code current_job_id} cleared. Leaves a job that moved meanwhile. Caller
   * holds a transaction.
   */
  public Transition failOrphan(UUID id, String fromStatus, String code, String message, String detailsJson,
      String actor) {
    String from = lockStatus(id);
    if (from == null || !from.equals(fromStatus)) {
      return new Transition(false, from, null);
    }
    Map<String, Object> row =
        jdbc.query(
                "UPDATE gh_automation_jobs SET status = 'failed', completed_at = now(), error_code = ?,"
                    + " status_message = ?, error_details = ?::jsonb, paused_at = NULL WHERE id = ? RETURNING *",
                (rs, n) -> toMap(rs),
                code, message, detailsJson, id)
            .get(0);
    store.event(
        new JobEvent(
            UUID.randomUUID().toString(), id.toString(), "job_failed", from, "failed", message,
            Map.of("error_code", code), actor));
    jdbc.update("UPDATE gh_worker_registry SET current_job_id = NULL WHERE current_job_id = ?", id);
    return new Transition(true, from, row);
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
        id, runId);
    if (moved == 1) {
      store.event(new JobEvent(UUID.randomUUID().toString(), id.toString(), "job_redispatched", "queued", "pending",
          "Its workflow was lost (Temporal restarted?); starting it again", Map.of("lost_run_id",
              runId == null ? "" : runId), "reconciler"));
    }
    return moved == 1;
  }

  /**
   * Jobs a workflow should be carrying (queued, running, paused) whose row has not changed for
   * {@code olderThanSeconds}: the ones whose workflow may be gone, oldest first.
   */
  public List<Map<String, Object>> quiet(int olderThanSeconds, int limit) {
    return jdbc.query(
        "SELECT * FROM gh_automation_jobs WHERE status IN ('queued', 'running', 'paused')"
            + " AND updated_at < now() - make_interval(secs => ?) ORDER BY updated_at LIMIT ?",
        (rs, n) -> toMap(rs),
        olderThanSeconds,
        limit);
  }

  /** Sets an ended job's error code and message (e.g. who cancelled it). Caller holds a transaction. */
  public void setErrorCode(UUID id, String code, String message) {
    jdbc.update(
        "UPDATE gh_automation_jobs SET error_code = ?, status_message = ?,"
            + " error_details = jsonb_build_object('message', ?::text) WHERE id = ?",
        code, message, message, id);
  }

  /**
   * Puts a failed, cancelled or expired job back to {@code pending} for a new attempt under the same
   * id: {@code retry_count} + 1, outcome and worker cleared, {@code job_retried} event. Caller holds a
   * transaction.
   */
  public Transition retry(UUID id, String actor) {
    String from = lockStatus(id);
    if (from == null || !RETRYABLE.contains(from)) {
      return new Transition(false, from, null);
    }
    Map<String, Object> row =
        jdbc.query(
                "UPDATE gh_automation_jobs SET status = 'pending', retry_count = retry_count + 1,"
                    + " status_message = 'Waiting to be dispatched (retry)', worker_id = NULL,"
                    + " started_at = NULL, completed_at = NULL, last_heartbeat = NULL, result_data = NULL,"
                    + " result_summary = NULL, error_code = NULL, error_details = NULL, run_id = NULL,"
                    + " interaction_type = NULL, interaction_data = NULL, paused_at = NULL"
                    + " WHERE id = ? RETURNING *",
                (rs, n) -> toMap(rs),
                id)
            .get(0);
    store.event(
        new JobEvent(
            UUID.randomUUID().toString(), id.toString(), "job_retried", from, "pending",
            "Retry requested by " + actor, Map.of("retry_count", row.get("retry_count")), actor));
    return new Transition(true, from, row);
  }

  private String lockStatus(UUID id) {
    List<String> rows =
        jdbc.queryForList("SELECT status FROM gh_automation_jobs WHERE id = ? FOR UPDATE", String.class, id);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** A job to insert: its id, what it is, and the id and metadata of its {@code job_created} event. */
  public record Insert(UUID id, NewJob job, UUID eventId, String eventMetadataJson) {}

  // What a new job's statement takes, in order, with the SQL type of each ({@link #values}).
  private static final String[] INPUT_COLUMNS = {
    "id", "idempotency_key", "user_id", "created_by", "job_type", "target_url", "task_description", "input_data",
    "priority", "scheduled_at", "max_retries", "timeout_seconds", "tags", "metadata", "callback_url",
    "valet_task_id", "target_worker_id", "worker_affinity", "workflow_id", "resume_ref", "execution_mode",
    "scheduled_text", "event_id", "event_metadata", "exclusive_task"
  };
  private static final String[] INPUT_TYPES = {
    "uuid", "text", "uuid", "text", "text", "text", "text", "text", "int", "timestamptz", "int", "int", "text",
    "text", "text", "text", "text", "text", "text", "text", "text", "text", "uuid", "text", "bool"
  };

  /**
   * The statement that writes new jobs read from {@code source} (a row set with the columns of
   * {@link #INPUT_COLUMNS} and an ordinal {@code n}): each row as {@code pending} with its
   * {@code job_created} event, answering the id and {@code created_at} of each job written. A job
   * whose idempotency key is taken, by a committed job or one earlier in the same statement, is
   * skipped (and waited for while its writer's transaction is open), and gets no event. So is an
   * exclusive job (VALET's) whose task is held, by a committed job ({@code gh_valet_task_holder}) or
   * by an exclusive job earlier in the same statement; the writer holds the tasks' locks
   * ({@link #lockValetTasks}) so that no competing writer commits one meanwhile.
   */
  private static String insertFrom(String source) {
    return "WITH input AS MATERIALIZED (SELECT * FROM " + source + "),"
        + " j AS (INSERT INTO gh_automation_jobs (id, idempotency_key, user_id, created_by, job_type, target_url,"
        + " task_description, input_data, priority, scheduled_at, max_retries, timeout_seconds,"
        + " tags, metadata, callback_url, valet_task_id, target_worker_id, worker_affinity,"
        + " workflow_id, resume_ref, execution_mode, status, status_message)"
        + " SELECT id, idempotency_key, user_id, created_by, job_type, target_url, task_description,"
        + " input_data::jsonb, priority, scheduled_at, max_retries, timeout_seconds, tags::jsonb, metadata::jsonb,"
        + " callback_url, valet_task_id, target_worker_id, worker_affinity, workflow_id, resume_ref::jsonb,"
        + " execution_mode, 'pending', CASE WHEN scheduled_at > now() THEN 'Scheduled for ' || scheduled_text"
        + " ELSE 'Waiting to be dispatched' END FROM input w"
        + " WHERE NOT w.exclusive_task OR (NOT EXISTS (SELECT 1 FROM gh_valet_task_holder(w.valet_task_id))"
        + " AND NOT EXISTS (SELECT 1 FROM input o WHERE o.exclusive_task AND o.valet_task_id = w.valet_task_id"
        + " AND o.n < w.n)) ORDER BY n"
        + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, created_at),"
        + " e AS (INSERT INTO gh_job_events (id, job_id, event_type, to_status, message, metadata, actor)"
        + " SELECT i.event_id, j.id, 'job_created', 'pending', 'Job created', i.event_metadata::jsonb, i.created_by"
        + " FROM j JOIN input i ON i.id = j.id)"
        + " SELECT id, created_at FROM j";
  }

  private static String parameters(String suffix) {
    StringBuilder out = new StringBuilder();
    for (String type : INPUT_TYPES) {
      out.append(out.length() == 0 ? "" : ", ").append("?::").append(type).append(suffix);
    }
    return out.toString();
  }

  // Any number of jobs: each column comes in as an array (one element per job), so the text never
  // changes and PostgreSQL plans it once per connection.
  private static final String INSERT_ALL =
      insertFrom("unnest(" + parameters("[]") + ") WITH ORDINALITY AS i(" + String.join(", ", INPUT_COLUMNS) + ", n)");

  // One job, with plain parameters: two dozen one-element arrays to build and unnest cost a lone job
  // more than its row.
  private static final String INSERT_ONE =
      insertFrom("(VALUES (" + parameters("") + ", 1::bigint)) AS i(" + String.join(", ", INPUT_COLUMNS) + ", n)");

  /** The values of {@link #INPUT_COLUMNS} for one job. */
  private static Object[] values(Insert row) {
    NewJob job = row.job();
    String scheduled = job.scheduledAt() == null ? null : job.scheduledAt().toInstant().toString();
    return new Object[] {
      row.id(), job.idempotencyKey(), job.userId(), job.createdBy(), job.jobType(), job.targetUrl(),
      job.taskDescription(), job.inputDataJson(), job.priority(), scheduled, job.maxRetries(), job.timeoutSeconds(),
      job.tagsJson(), job.metadataJson(), job.callbackUrl(), job.valetTaskId(), job.targetWorkerId(),
      job.workerAffinity(), io.ghosthands.workflows.WorkflowIds.forJob(row.id()), job.resumeRefJson(),
      job.executionMode(), scheduled, row.eventId(), row.eventMetadataJson(), job.exclusiveValetTask()
    };
  }

  /** The VALET tasks these jobs claim for themselves (exclusive jobs only). */
  private static String[] exclusiveTasks(List<Insert> rows) {
    return rows.stream().map(Insert::job).filter(NewJob::exclusiveValetTask).map(NewJob::valetTaskId)
        .distinct().toArray(String[]::new);
  }

  /**
   * Locks these VALET tasks against other writers of new jobs until the transaction ends (see
   * migration V008). Caller holds a transaction and inserts in a later statement of it.
   */
  private void lockValetTasks(String[] valetTaskIds) {
    jdbc.query(
        connection -> {
          var ps = connection.prepareStatement("SELECT gh_lock_valet_tasks(?::text[])");
          ps.setArray(1, connection.createArrayOf("text", valetTaskIds));
          return ps;
        },
        rs -> {});
  }

  /**
   * Runs an insert of these jobs; when some claim their VALET task, in a transaction (its own, or
   * the caller's) that first locks those tasks, so that the insert's check of who holds them sees
   * every competing job that was committed.
   */
  private <T> T writing(List<Insert> rows, java.util.function.Supplier<T> insert) {
    String[] tasks = exclusiveTasks(rows);
    if (tasks.length == 0) {
      return insert.get();
    }
    return tx.execute(
        status -> {
          lockValetTasks(tasks);
          return insert.get();
        });
  }

  /** The job that holds this VALET task ({@code [id, status]}), or empty when a new job may take it. */
  public Optional<Map<String, Object>> valetTaskHolder(String valetTaskId) {
    return jdbc
        .query("SELECT id, status FROM gh_valet_task_holder(?)", (rs, n) -> toMap(rs), valetTaskId)
        .stream()
        .findFirst();
  }

  /**
   * Inserts these jobs as {@code pending}, each with its {@code job_created} event, in one statement
   * (one round trip, one commit for the lot unless the caller holds a transaction). Returns the
   * {@code created_at} of each job written, by id; a job missing from the answer was not written
   * because its idempotency key is taken.
   */
  public Map<UUID, OffsetDateTime> insertAll(List<Insert> rows) {
    return writing(rows, () -> insertAllNow(rows));
  }

  private Map<UUID, OffsetDateTime> insertAllNow(List<Insert> rows) {
    Object[][] columns = new Object[INPUT_COLUMNS.length][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Object[] values = values(rows.get(i));
      for (int c = 0; c < values.length; c++) {
        columns[c][i] = values[c];
      }
    }
    Map<UUID, OffsetDateTime> written = new LinkedHashMap<>();
    jdbc.query(
        connection -> {
          var ps = connection.prepareStatement(INSERT_ALL);
          for (int c = 0; c < INPUT_TYPES.length; c++) {
            // timestamps travel as ISO-8601 text, cast by the statement
            String element = INPUT_TYPES[c].equals("timestamptz") ? "text" : INPUT_TYPES[c];
            ps.setArray(c + 1, connection.createArrayOf(element.equals("int") ? "int4" : element, columns[c]));
          }
          return ps;
        },
        rs -> {
          written.put(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class));
        });
    return written;
  }

  /** Inserts one job as {@link #insertAll} does; empty if its idempotency key is taken. */
  public Optional<OffsetDateTime> insert(Insert row) {
    return writing(List.of(row),
        () -> jdbc.query(INSERT_ONE, (rs, n) -> rs.getObject(2, OffsetDateTime.class), values(row)).stream().findFirst());
  }

  /** Moves a paused job to running for a human's resume; false when it is no longer paused. */
  public boolean markResumedByHuman(UUID id) {
    return jdbc.update(
        "UPDATE gh_automation_jobs SET status = 'running', paused_at = NULL,"
            + " status_message = 'Resumed by a human' WHERE id = ? AND status = 'paused'", id) == 1;
  }

  /** Puts back a resume that did not reach the workflow: paused again, as it was. */
  public void undoResume(UUID id, Object pausedAt, Object statusMessage) {
    jdbc.update(
        "UPDATE gh_automation_jobs SET status = 'paused', paused_at = ?, status_message = ?"
            + " WHERE id = ? AND status = 'running'",
        pausedAt == null ? null : java.sql.Timestamp.from(java.time.Instant.parse((String) pausedAt)),
        statusMessage, id);
  }

  public void event(JobEvent event) {
    store.event(event);
  }

  /** A job whose workflow was started: its run, and where it will run (for the status message). */
  public record Started(UUID id, String runId, String routing) {}

  private static final String ENDED_SQL = "('" + String.join("', '", ENDED) + "')";

  /**
   * Records that these jobs' workflows started, in one statement (one round trip, one commit, however
   * many jobs): a pending job becomes {@code queued} with its run id; one a worker already claimed keeps
   * its status and gets the run id if it had none; each of those gets a {@code job_dispatched} event
   * on {@code taskQueue}. A job that ended meanwhile (cancelled while its workflow was starting) is
   * left alone and returned with its status, so that its workflow can be ended too.
   *
   * <p>The commit does not wait for the WAL flush ({@code synchronous_commit} off for this statement
   * only): if it were lost in a crash the rows would still be pending, and the dispatcher would start
   * the (already running) workflows again, which is a no-op. The accepted jobs themselves were
   * committed durably.
   */
  public Map<UUID, String> markDispatched(List<Started> started, String taskQueue) {
    UUID[] ids = new UUID[started.size()];
    String[] runIds = new String[started.size()];
    String[] routings = new String[started.size()];
    UUID[] eventIds = new UUID[started.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = started.get(i).id();
      runIds[i] = started.get(i).runId();
      routings[i] = started.get(i).routing();
      eventIds[i] = UUID.randomUUID();
    }
    Map<UUID, String> ended = new LinkedHashMap<>();
    jdbc.query(
        connection -> {
          var ps = connection.prepareStatement(
              // each row is found by its id (never by status: ended jobs are most of the table);
              // 'was' is the status before this statement. A change that lands while it runs (a
              // claim or a cancel) is seen by the updates, which re-check their row; a cancel also
              // terminates the (by then started) workflow itself
              "WITH input AS MATERIALIZED ("
                  + " SELECT i.*, j.status AS was, j.workflow_id,"
                  + " set_config('synchronous_commit', 'off', true) AS relaxed"
                  + " FROM unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[]) AS i(id, run_id, routing, event_id)"
                  + " JOIN gh_automation_jobs j ON j.id = i.id),"
                  + " moved AS (UPDATE gh_automation_jobs j SET status = 'queued', run_id = i.run_id, status_message ="
                  + " CASE WHEN j.scheduled_at > now() THEN 'Scheduled for ' || to_char(j.scheduled_at AT TIME ZONE 'UTC',"
                  + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ELSE 'Queued for ' || i.routing END"
                  + " FROM input i WHERE j.id = i.id AND j.status = 'pending' RETURNING j.id),"
                  // claimed before this write: the status is the worker's now, only the run id is ours
                  + " claimed AS (UPDATE gh_automation_jobs j SET run_id = i.run_id FROM input i"
                  + " WHERE j.id = i.id AND j.status <> 'pending' AND j.status NOT IN " + ENDED_SQL
                  + " AND j.run_id IS NULL),"
                  + " events AS (INSERT INTO gh_job_events (id, job_id, event_type, from_status, to_status, message,"
                  + " metadata, actor) SELECT i.event_id, i.id, 'job_dispatched',"
                  + " CASE WHEN m.id IS NULL THEN NULL ELSE 'pending' END, CASE WHEN m.id IS NULL THEN NULL ELSE 'queued' END,"
                  + " 'Workflow started on ' || ?, jsonb_build_object('task_queue', ?::text, 'workflow_id', i.workflow_id,"
                  + " 'run_id', i.run_id), 'api'"
                  + " FROM input i LEFT JOIN moved m ON m.id = i.id"
                  + " WHERE m.id IS NOT NULL OR i.was NOT IN " + ENDED_SQL + ")"
                  + " SELECT id, was FROM input WHERE was IN " + ENDED_SQL);
          ps.setArray(1, connection.createArrayOf("uuid", ids));
          ps.setArray(2, connection.createArrayOf("text", runIds));
          ps.setArray(3, connection.createArrayOf("text", routings));
          ps.setArray(4, connection.createArrayOf("uuid", eventIds));
          ps.setString(5, taskQueue);
          ps.setString(6, taskQueue);
          return ps;
        },
        rs -> {
          ended.put(rs.getObject(1, UUID.class), rs.getString(2));
        });
    return ended;
  }

  /** Jobs still pending after {@code olderThanSeconds}: their workflow start failed or was lost. */
  public List<Map<String, Object>> undispatched(int olderThanSeconds, int limit) {
    return jdbc.query(
        "SELECT * FROM gh_automation_jobs WHERE status = 'pending'"
            // updated_at, not created_at: a job just put back to pending by a retry is being
            // dispatched by that request right now
            + " AND updated_at < now() - make_interval(secs => ?) ORDER BY created_at LIMIT ?",
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

  /** A row as JSON-ready values; see {@link #find}. */
  public static Map<String, Object> row(ResultSet rs) throws SQLException {
    return toMap(rs);
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
