package io.ghosthands.app.worker;

import io.ghosthands.activities.store.Json;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** This worker's row in {@code gh_worker_registry}. */
class WorkerRegistry {

  private final JdbcTemplate jdbc;
  private final String workerId;

  WorkerRegistry(DataSource dataSource, String workerId) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.workerId = workerId;
  }

  void register(String targetWorkerId, String host, WorkerHost machine, Map<String, Object> metadata) {
    jdbc.update(
        "INSERT INTO gh_worker_registry (worker_id, target_worker_id, status, host, ec2_instance_id, ec2_ip, metadata)"
            + " VALUES (?, ?, 'active', ?, ?, ?, ?::jsonb)"
            + " ON CONFLICT (worker_id) DO UPDATE SET target_worker_id = EXCLUDED.target_worker_id,"
            + " status = 'active', host = EXCLUDED.host, ec2_instance_id = EXCLUDED.ec2_instance_id,"
            + " ec2_ip = EXCLUDED.ec2_ip, metadata = EXCLUDED.metadata,"
            + " registered_at = now(), last_heartbeat = now(), current_job_id = NULL",
        workerId,
        targetWorkerId,
        host,
        machine.ec2InstanceId(),
        machine.ec2Ip(),
        Json.write(metadata));
  }

  /**
   * Records that this worker is alive, in {@code status}. Returns false, writing nothing, when the
   * row says {@code offline}: someone deregistered this worker ({@code POST
   * /valet/workers/deregister}), and a heartbeat must not undo that.
   */
  boolean heartbeat(String status) {
    return jdbc.update(
            "UPDATE gh_worker_registry SET last_heartbeat = now(), status = ? WHERE worker_id = ? AND status <> 'offline'",
            status,
            workerId)
        > 0;
  }

  /** Jobs this worker claimed since it registered that still read {@code running}. */
  int runningJobs() {
    Integer n =
        jdbc.queryForObject(
            "SELECT count(*) FROM gh_automation_jobs j JOIN gh_worker_registry r ON r.worker_id = j.worker_id"
                + " WHERE j.worker_id = ? AND j.status = 'running' AND j.started_at >= r.registered_at",
            Integer.class,
            workerId);
    return n == null ? 0 : n;
  }

  void offline() {
    jdbc.update(
        "UPDATE gh_worker_registry SET status = 'offline', current_job_id = NULL, last_heartbeat = now()"
            + " WHERE worker_id = ?",
        workerId);
  }
}
