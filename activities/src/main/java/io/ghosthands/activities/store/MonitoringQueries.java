package io.ghosthands.activities.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@code /monitoring} reads from the mirror and the registry: counts, the fleet's load, the
 * jobs an alert names and the workers' rows. A worker whose heartbeat is older than
 * {@code staleSeconds} counts as offline, whatever its row says.
 */
public class MonitoringQueries {

    private final JdbcTemplate jdbc;
    private final JsonRows rows;

    /** @param jsonReader parses {@code jsonb} values of the workers' rows */
    public MonitoringQueries(DataSource dataSource, Function<String, Object> jsonReader) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.rows = new JsonRows(jsonReader);
    }

    /** Throws when the database does not answer. */
    public void ping() {
        jdbc.queryForObject("SELECT 1", Integer.class);
    }

    /** Workers {@code active} with a fresh heartbeat. */
    public long liveWorkers(int staleSeconds) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM gh_worker_registry WHERE status = 'active'"
                        + " AND last_heartbeat > now() - make_interval(secs => ?)",
                Long.class,
                staleSeconds);
    }

    /** Jobs per status that has any, in the database's order. */
    public Map<String, Long> jobsByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT status, count(*) FROM gh_automation_jobs GROUP BY status", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /** Every job ever created (that was not deleted). */
    public long jobsCreated() {
        return jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Long.class);
    }

    /** Workers per effective status (a stale heartbeat reads offline) that has any. */
    public Map<String, Long> workersByStatus(int staleSeconds) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query(
                "SELECT CASE WHEN status <> 'offline' AND last_heartbeat < now() - make_interval(secs => ?)"
                        + " THEN 'offline' ELSE status END, count(*) FROM gh_worker_registry GROUP BY 1",
                rs -> {
                    counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
                },
                staleSeconds);
        return counts;
    }

    /**
     * What the fleet of workers is doing: jobs held by workers (running, paused), browser lanes of
     * the live workers, jobs they completed or failed, jobs waiting for one (pending or queued, due).
     */
    public record WorkerLoad(long activeJobs, long maxConcurrent, long totalProcessed, long queueDepth) {}

    public WorkerLoad workerLoad(int staleSeconds) {
        Map<String, Object> jobs = jdbc.queryForMap(
                "SELECT count(*) FILTER (WHERE status IN ('running', 'paused')) AS active,"
                        + " count(*) FILTER (WHERE status IN ('pending', 'queued') AND (scheduled_at IS NULL OR scheduled_at <= now()))"
                        + " AS waiting FROM gh_automation_jobs WHERE status IN ('pending', 'queued', 'running', 'paused')");
        Map<String, Object> fleet = jdbc.queryForMap(
                "SELECT coalesce(sum(CASE WHEN status = 'active' AND last_heartbeat > now() - make_interval(secs => ?)"
                        + " THEN coalesce((metadata->>'concurrency')::int, 1) ELSE 0 END), 0) AS lanes,"
                        + " coalesce(sum(jobs_completed + jobs_failed), 0) AS processed FROM gh_worker_registry",
                staleSeconds);
        return new WorkerLoad(
                ((Number) jobs.get("active")).longValue(),
                ((Number) fleet.get("lanes")).longValue(),
                ((Number) fleet.get("processed")).longValue(),
                ((Number) jobs.get("waiting")).longValue());
    }

    /** Jobs pending or queued whose time has come. */
    public long waitingDue() {
        return jdbc.queryForObject(
                "SELECT count(*) FROM gh_automation_jobs WHERE status IN ('pending', 'queued')"
                        + " AND (scheduled_at IS NULL OR scheduled_at <= now())",
                Long.class);
    }

    /** Up to 20 due jobs still pending {@code olderThanSeconds} after they were created, oldest first. */
    public List<String> pendingSince(int olderThanSeconds) {
        return jdbc.queryForList(
                "SELECT id::text FROM gh_automation_jobs WHERE status = 'pending' AND (scheduled_at IS NULL OR scheduled_at <= now())"
                        + " AND created_at < now() - make_interval(secs => ?) ORDER BY created_at LIMIT 20",
                String.class,
                olderThanSeconds);
    }

    /** Up to 20 running jobs without a heartbeat for {@code staleSeconds}. */
    public List<String> runningWithoutHeartbeat(int staleSeconds) {
        return jdbc.queryForList(
                "SELECT id::text FROM gh_automation_jobs WHERE status = 'running'"
                        + " AND coalesce(last_heartbeat, started_at, created_at) < now() - make_interval(secs => ?)"
                        + " ORDER BY last_heartbeat LIMIT 20",
                String.class,
                staleSeconds);
    }

    /** Up to 20 jobs paused over {@code graceSeconds} past their pause's timeout (300 s unless it says). */
    public List<String> pausedPastTimeout(int graceSeconds) {
        return jdbc.queryForList(
                "SELECT id::text FROM gh_automation_jobs WHERE status = 'paused' AND paused_at < now()"
                        + " - make_interval(secs => coalesce((interaction_data->>'timeout_seconds')::int, 300) + ?)"
                        + " ORDER BY paused_at LIMIT 20",
                String.class,
                graceSeconds);
    }

    /** Jobs that ended (completed or failed) in the last 15 minutes, and how many of them failed. */
    public record RecentEnds(long failed, long ended) {}

    public RecentEnds recentEnds() {
        Map<String, Object> recent = jdbc.queryForMap(
                "SELECT count(*) FILTER (WHERE status = 'failed') AS failed, count(*) AS ended FROM gh_automation_jobs"
                        + " WHERE status IN ('completed', 'failed') AND completed_at > now() - interval '15 minutes'");
        return new RecentEnds(((Number) recent.get("failed")).longValue(), ((Number) recent.get("ended")).longValue());
    }

    /**
     * The registered workers as JSON-ready rows ({@link JsonRows}), live ones first, latest heartbeat
     * first: their row with {@code status} the effective one and {@code uptime_seconds}.
     */
    public List<Map<String, Object>> workers(int staleSeconds) {
        return jdbc.query(
                "SELECT worker_id, target_worker_id, ec2_instance_id, ec2_ip, host, current_job_id, registered_at,"
                        + " last_heartbeat, jobs_completed, jobs_failed, metadata, effective AS status,"
                        // seconds since it registered while it lives; an offline worker is up no more
                        + " CASE WHEN effective = 'offline' THEN 0"
                        + " ELSE floor(extract(epoch FROM now() - registered_at))::bigint END AS uptime_seconds"
                        + " FROM (SELECT *, CASE WHEN status <> 'offline' AND last_heartbeat < now() - make_interval(secs => ?)"
                        + " THEN 'offline' ELSE status END AS effective FROM gh_worker_registry) r"
                        + " ORDER BY (r.status = 'offline'), last_heartbeat DESC",
                rows,
                staleSeconds);
    }
}
