package io.ghosthands.app.api;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /monitoring/*} at the root, unauthenticated: health, Prometheus metrics, alerts, the worker fleet. */
@RestController
@RequestMapping("/monitoring")
class MonitoringController {

  /** A worker whose heartbeat is older than this shows as offline, whatever its row says. */
  static final int WORKER_STALE_SECONDS = 120;

  private final JdbcTemplate jdbc;
  private final WorkflowServiceStubs temporal;

  MonitoringController(DataSource dataSource, WorkflowServiceStubs temporal) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.temporal = temporal;
  }

  @GetMapping("/health")
  ResponseEntity<Map<String, Object>> health() {
    Map<String, Object> checks = new LinkedHashMap<>();
    boolean db = check(checks, "database", () -> jdbc.queryForObject("SELECT 1", Integer.class));
    boolean tmp = check(checks, "temporal", () -> temporal.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()));
    long live = 0;
    if (db) {
      live = jdbc.queryForObject(
          "SELECT count(*) FROM gh_worker_registry WHERE status = 'active'"
              + " AND last_heartbeat > now() - make_interval(secs => ?)", Long.class, WORKER_STALE_SECONDS);
      checks.put("workers", Map.of("status", live > 0 ? "ok" : "none", "active", live));
    }
    String status = !db ? "unhealthy" : (!tmp || live == 0) ? "degraded" : "healthy";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("checks", checks);
    body.put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    return ResponseEntity.status(db ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }

  private static boolean check(Map<String, Object> checks, String name, Runnable probe) {
    try {
      probe.run();
      checks.put(name, Map.of("status", "ok"));
      return true;
    } catch (RuntimeException e) {
      checks.put(name, Map.of("status", "error", "message", String.valueOf(e.getMessage())));
      return false;
    }
  }

  @GetMapping(value = "/metrics", produces = "text/plain; version=0.0.4; charset=utf-8")
  ResponseEntity<String> metrics() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP gh_jobs Jobs by status.\n# TYPE gh_jobs gauge\n");
    Map<String, Long> byStatus = jobsByStatus();
    for (Map.Entry<String, Long> e : byStatus.entrySet()) {
      out.append("gh_jobs{status=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
    }
    out.append("# HELP gh_workers Registered workers by effective status.\n# TYPE gh_workers gauge\n");
    for (Map.Entry<String, Long> e : workersByStatus().entrySet()) {
      out.append("gh_workers{status=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
    }
    out.append("# HELP gh_uptime_seconds Seconds since this API process started.\n# TYPE gh_uptime_seconds gauge\n");
    out.append("gh_uptime_seconds ").append(ManagementFactory.getRuntimeMXBean().getUptime() / 1000).append('\n');
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8")).body(out.toString());
  }

  @GetMapping("/metrics/json")
  Map<String, Object> metricsJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jobs", jobsByStatus());
    body.put("workers", workersByStatus());
    body.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    return body;
  }

  /** A running job that has not heartbeated for this long has lost its worker (steps heartbeat every 5 s). */
  static final int JOB_STALE_SECONDS = 60;
  /** A job still {@code pending} this long means its workflow cannot be started (Temporal unreachable). */
  static final int PENDING_STALE_SECONDS = 60;

  /**
   * What an operator should look at now, worked out from the mirror on each call: jobs waiting with
   * no live worker, jobs whose workflow could not be started, running jobs without a heartbeat, and
   * a failure rate above half over the last 15 minutes.
   */
  @GetMapping("/alerts")
  Map<String, Object> alerts() {
    List<Map<String, Object>> alerts = new java.util.ArrayList<>();
    long live = jdbc.queryForObject(
        "SELECT count(*) FROM gh_worker_registry WHERE status = 'active'"
            + " AND last_heartbeat > now() - make_interval(secs => ?)", Long.class, WORKER_STALE_SECONDS);
    long waiting = jdbc.queryForObject(
        "SELECT count(*) FROM gh_automation_jobs WHERE status IN ('pending', 'queued')"
            + " AND (scheduled_at IS NULL OR scheduled_at <= now())", Long.class);
    if (live == 0 && waiting > 0) {
      alerts.add(alert("no_active_workers", "critical",
          waiting + " job(s) waiting and no worker taking work", waiting, List.of()));
    }
    List<String> pending = jdbc.queryForList(
        "SELECT id::text FROM gh_automation_jobs WHERE status = 'pending' AND (scheduled_at IS NULL OR scheduled_at <= now())"
            + " AND created_at < now() - make_interval(secs => ?) ORDER BY created_at LIMIT 20",
        String.class, PENDING_STALE_SECONDS);
    if (!pending.isEmpty()) {
      alerts.add(alert("jobs_not_dispatched", "warning",
          "Jobs accepted over " + PENDING_STALE_SECONDS + " s ago whose workflow has not started (is Temporal reachable?)",
          pending.size(), pending));
    }
    List<String> stale = jdbc.queryForList(
        "SELECT id::text FROM gh_automation_jobs WHERE status = 'running'"
            + " AND coalesce(last_heartbeat, started_at, created_at) < now() - make_interval(secs => ?)"
            + " ORDER BY last_heartbeat LIMIT 20",
        String.class, JOB_STALE_SECONDS);
    if (!stale.isEmpty()) {
      alerts.add(alert("stale_running_jobs", "warning",
          "Running jobs without a heartbeat for over " + JOB_STALE_SECONDS + " s (their worker may be gone;"
              + " Temporal retries them on another)", stale.size(), stale));
    }
    Map<String, Object> recent = jdbc.queryForMap(
        "SELECT count(*) FILTER (WHERE status = 'failed') AS failed, count(*) AS ended FROM gh_automation_jobs"
            + " WHERE status IN ('completed', 'failed') AND completed_at > now() - interval '15 minutes'");
    long failed = ((Number) recent.get("failed")).longValue();
    long ended = ((Number) recent.get("ended")).longValue();
    if (ended >= 10 && failed * 2 > ended) {
      alerts.add(alert("high_failure_rate", "warning",
          failed + " of the " + ended + " jobs that ended in the last 15 minutes failed", failed, List.of()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alerts", alerts);
    body.put("count", alerts.size());
    body.put("checked_at", java.time.Instant.now().toString());
    return body;
  }

  private static Map<String, Object> alert(String type, String severity, String message, long count, List<String> jobIds) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("type", type);
    a.put("severity", severity);
    a.put("message", message);
    a.put("count", count);
    if (!jobIds.isEmpty()) {
      a.put("job_ids", jobIds);
    }
    return a;
  }

  @GetMapping("/workers")
  Map<String, Object> workers() {
    List<Map<String, Object>> rows = jdbc.query(
        "SELECT worker_id, target_worker_id, host, current_job_id, registered_at, last_heartbeat,"
            + " jobs_completed, jobs_failed, metadata,"
            + " CASE WHEN status <> 'offline' AND last_heartbeat < now() - make_interval(secs => ?)"
            + " THEN 'offline' ELSE status END AS status"
            + " FROM gh_worker_registry ORDER BY (status = 'offline'), last_heartbeat DESC",
        (rs, n) -> io.ghosthands.app.jobs.JobRepository.row(rs), WORKER_STALE_SECONDS);
    // taking work: a draining worker still heartbeats, but finishes what it holds and takes nothing new
    long active = rows.stream().filter(r -> "active".equals(r.get("status"))).count();
    long draining = rows.stream().filter(r -> "draining".equals(r.get("status"))).count();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workers", rows);
    body.put("total", rows.size());
    body.put("active", active);
    body.put("draining", draining);
    return body;
  }

  private Map<String, Long> jobsByStatus() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String s : JobsController.STATUSES) {
      counts.put(s, 0L);
    }
    jdbc.query("SELECT status, count(*) FROM gh_automation_jobs GROUP BY status",
        rs -> {
          counts.put(rs.getString(1), rs.getLong(2));
        });
    return counts;
  }

  private Map<String, Long> workersByStatus() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String s : List.of("active", "draining", "offline")) {
      counts.put(s, 0L);
    }
    jdbc.query(
        "SELECT CASE WHEN status <> 'offline' AND last_heartbeat < now() - make_interval(secs => ?)"
            + " THEN 'offline' ELSE status END, count(*) FROM gh_worker_registry GROUP BY 1",
        rs -> {
          counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
        },
        WORKER_STALE_SECONDS);
    return counts;
  }
}
