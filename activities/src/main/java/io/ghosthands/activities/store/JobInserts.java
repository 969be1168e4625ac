package io.ghosthands.activities.store;

import io.ghosthands.workflows.JobStatus;
import io.ghosthands.workflows.WorkflowIds;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * New rows of {@code gh_automation_jobs}: the insert of accepted jobs (with their
 * {@code job_created} events) and the mark of their started workflows ({@code queued}, run id,
 * {@code job_dispatched}), each one statement however many jobs.
 */
public class JobInserts {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JobInserts(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        // joins the caller's transaction when there is one (a batch create)
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** A job to insert: its id, what it is, and the id and metadata of its {@code job_created} event. */
    public record Insert(UUID id, NewJob job, UUID eventId, String eventMetadataJson) {}

    // What a new job's statement takes, in order, with the SQL type of each ({@link #values}).
    private static final String[] INPUT_COLUMNS = {
        "id",
        "idempotency_key",
        "user_id",
        "created_by",
        "job_type",
        "target_url",
        "task_description",
        "input_data",
        "priority",
        "scheduled_at",
        "max_retries",
        "timeout_seconds",
        "tags",
        "metadata",
        "callback_url",
        "valet_task_id",
        "target_worker_id",
        "worker_affinity",
        "workflow_id",
        "resume_ref",
        "execution_mode",
        "scheduled_text",
        "event_id",
        "event_metadata",
        "exclusive_task"
    };
    private static final String[] INPUT_TYPES = {
        "uuid",
        "text",
        "uuid",
        "text",
        "text",
        "text",
        "text",
        "text",
        "int",
        "timestamptz",
        "int",
        "int",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "uuid",
        "text",
        "bool"
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
    private static final String INSERT_ALL = insertFrom(
            "unnest(" + parameters("[]") + ") WITH ORDINALITY AS i(" + String.join(", ", INPUT_COLUMNS) + ", n)");

    // One job, with plain parameters: two dozen one-element arrays to build and unnest cost a lone job
    // more than its row.
    private static final String INSERT_ONE = insertFrom(
            "(VALUES (" + parameters("") + ", 1::bigint)) AS i(" + String.join(", ", INPUT_COLUMNS) + ", n)");

    /** The values of {@link #INPUT_COLUMNS} for one job. */
    private static Object[] values(Insert row) {
        NewJob job = row.job();
        String scheduled =
                job.scheduledAt() == null ? null : job.scheduledAt().toInstant().toString();
        return new Object[] {
            row.id(),
            job.idempotencyKey(),
            job.userId(),
            job.createdBy(),
            job.jobType(),
            job.targetUrl(),
            job.taskDescription(),
            job.inputDataJson(),
            job.priority(),
            scheduled,
            job.maxRetries(),
            job.timeoutSeconds(),
            job.tagsJson(),
            job.metadataJson(),
            job.callbackUrl(),
            job.valetTaskId(),
            job.targetWorkerId(),
            job.workerAffinity(),
            WorkflowIds.forJob(row.id()),
            job.resumeRefJson(),
            job.executionMode(),
            scheduled,
            row.eventId(),
            row.eventMetadataJson(),
            job.exclusiveValetTask()
        };
    }

    /** The VALET tasks these jobs claim for themselves (exclusive jobs only). */
    private static String[] exclusiveTasks(List<Insert> rows) {
        return rows.stream()
                .map(Insert::job)
                .filter(NewJob::exclusiveValetTask)
                .map(NewJob::valetTaskId)
                .distinct()
                .toArray(String[]::new);
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
    private <T> T writing(List<Insert> rows, Supplier<T> insert) {
        String[] tasks = exclusiveTasks(rows);
        if (tasks.length == 0) {
            return insert.get();
        }
        return tx.execute(status -> {
            lockValetTasks(tasks);
            return insert.get();
        });
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
                        ps.setArray(
                                c + 1, connection.createArrayOf(element.equals("int") ? "int4" : element, columns[c]));
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
        return writing(
                List.of(row),
                () -> jdbc.query(INSERT_ONE, (rs, n) -> rs.getObject(2, OffsetDateTime.class), values(row)).stream()
                        .findFirst());
    }

    /** A job whose workflow was started: its run, and where it will run (for the status message). */
    public record Started(UUID id, String runId, String routing) {}

    private static final String ENDED_SQL = JobStatus.TERMINAL.stream()
            .map(s -> "'" + s.value() + "'")
            .sorted()
            .collect(Collectors.joining(", ", "(", ")"));

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
                                    // claimed before this write: the status is the worker's now, only the run id is
                                    // ours
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
}
