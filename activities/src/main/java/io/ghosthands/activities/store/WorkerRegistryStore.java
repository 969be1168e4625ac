package io.ghosthands.activities.store;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code gh_worker_registry}: workers' own rows, their deregistration, and where a job's page is relayed. */
public class WorkerRegistryStore {

    private final JdbcTemplate jdbc;

    public WorkerRegistryStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** A worker's row as it registers: who it is, where it runs. */
    public record Registration(
            String workerId,
            String targetWorkerId,
            String host,
            String ec2InstanceId,
            String ec2Ip,
            String metadataJson) {}

    /** Writes the worker's row {@code active}, anew (counters kept, current job cleared). */
    public void register(Registration r) {
        jdbc.update(
                "INSERT INTO gh_worker_registry (worker_id, target_worker_id, status, host, ec2_instance_id, ec2_ip, metadata)"
                        + " VALUES (?, ?, 'active', ?, ?, ?, ?::jsonb)"
                        + " ON CONFLICT (worker_id) DO UPDATE SET target_worker_id = EXCLUDED.target_worker_id,"
                        + " status = 'active', host = EXCLUDED.host, ec2_instance_id = EXCLUDED.ec2_instance_id,"
                        + " ec2_ip = EXCLUDED.ec2_ip, metadata = EXCLUDED.metadata,"
                        + " registered_at = now(), last_heartbeat = now(), current_job_id = NULL",
                r.workerId(),
                r.targetWorkerId(),
                r.host(),
                r.ec2InstanceId(),
                r.ec2Ip(),
                r.metadataJson());
    }

    /**
     * Records that the worker is alive, in {@code status}. Returns false, writing nothing, when the
     * row says {@code offline}: someone deregistered the worker, and a heartbeat must not undo that.
     */
    public boolean heartbeat(String workerId, String status) {
        return jdbc.update(
                        "UPDATE gh_worker_registry SET last_heartbeat = now(), status = ? WHERE worker_id = ? AND status <> 'offline'",
                        status,
                        workerId)
                > 0;
    }

    /** Jobs the worker claimed since it registered that still read {@code running}. */
    public int runningJobs(String workerId) {
        Integer n = jdbc.queryForObject(
                "SELECT count(*) FROM gh_automation_jobs j JOIN gh_worker_registry r ON r.worker_id = j.worker_id"
                        + " WHERE j.worker_id = ? AND j.status = 'running' AND j.started_at >= r.registered_at",
                Integer.class,
                workerId);
        return n == null ? 0 : n;
    }

    /** The worker's own goodbye: offline, holding nothing. */
    public void offline(String workerId) {
        jdbc.update(
                "UPDATE gh_worker_registry SET status = 'offline', current_job_id = NULL, last_heartbeat = now()"
                        + " WHERE worker_id = ?",
                workerId);
    }

    /** Marks offline the workers named {@code worker} or aimed at by it; returns their ids. */
    public List<String> deregister(String worker) {
        return jdbc.queryForList(
                "UPDATE gh_worker_registry SET status = 'offline', current_job_id = NULL"
                        + " WHERE (worker_id = ? OR target_worker_id = ?) AND status <> 'offline' RETURNING worker_id",
                String.class,
                worker,
                worker);
    }

    /** The relay of the worker holding the job, if that worker is registered and not offline. */
    public Optional<URI> relayFor(UUID jobId) {
        List<String> found = jdbc.queryForList(
                "SELECT r.metadata->>'live_relay' FROM gh_automation_jobs j JOIN gh_worker_registry r ON r.worker_id = j.worker_id"
                        + " WHERE j.id = ? AND r.status <> 'offline' AND r.metadata->>'live_relay' IS NOT NULL",
                String.class,
                jobId);
        return found.isEmpty() || found.get(0) == null ? Optional.empty() : Optional.of(URI.create(found.get(0)));
    }

    /**
     * The job most recently paused for a human whose page a worker can show: a worker on this host
     * first ({@code host}), else any.
     */
    public Optional<UUID> latestPaused(String host) {
        List<UUID> found = jdbc.queryForList(
                "SELECT j.id FROM gh_automation_jobs j JOIN gh_worker_registry r ON r.worker_id = j.worker_id"
                        + " WHERE j.status = 'paused' AND r.status <> 'offline' AND r.metadata->>'live_relay' IS NOT NULL"
                        + " ORDER BY (r.host = ?) DESC, j.paused_at DESC NULLS LAST LIMIT 1",
                UUID.class,
                host);
        return found.stream().findFirst();
    }
}
