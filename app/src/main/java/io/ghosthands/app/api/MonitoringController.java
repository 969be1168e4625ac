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

/** {@code /monitoring/*} at the root, unauthenticated: health, Prometheus metrics, the worker fleet. */
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
          "SELECT count(*) FROM gh_worker_registry WHERE status <> 'offline'"
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

  @GetMapping("/workers")
  Map<String, Object> workers() {
    List<Map<String, Object>> rows = jdbc.query(
        "SELECT worker_id, target_worker_id, host, current_job_id, registered_at, last_heartbeat,"
            + " jobs_completed, jobs_failed, metadata,"
            + " CASE WHEN status <> 'offline' AND last_heartbeat < now() - make_interval(secs => ?)"
            + " THEN 'offline' ELSE status END AS status"
            + " FROM gh_worker_registry ORDER BY (status = 'offline'), last_heartbeat DESC",
        (rs, n) -> io.ghosthands.app.jobs.JobRepository.row(rs), WORKER_STALE_SECONDS);
    long active = rows.stream().filter(r -> !"offline".equals(r.get("status"))).count();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workers", rows);
    body.put("total", rows.size());
    body.put("active", active);
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
