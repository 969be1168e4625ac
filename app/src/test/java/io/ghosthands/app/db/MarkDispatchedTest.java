package io.ghosthands.app.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.app.jobs.JobRepository;
import io.ghosthands.app.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link JobRepository#markDispatched}: one statement mirrors a batch of started workflows, each job
 * according to where it stands when the write lands.
 */
class MarkDispatchedTest {

    private static TestDatabase db;
    private static JdbcTemplate jdbc;
    private static JobRepository jobs;

    @BeforeAll
    static void database() {
        db = TestDatabase.create("mark_dispatched");
        jdbc = new JdbcTemplate(db.dataSource());
        jobs = new JobRepository(db.dataSource());
    }

    private UUID job(String status, String runId, Instant scheduledAt) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO gh_automation_jobs (id, job_type, target_url, task_description, status, run_id, workflow_id,"
                        + " scheduled_at) VALUES (?, 'custom', 'http://x', 't', ?, ?, ?, ?)",
                id,
                status,
                runId,
                "gh-job-" + id,
                scheduledAt == null ? null : Timestamp.from(scheduledAt));
        return id;
    }

    private Map<String, Object> row(UUID id) {
        return jdbc.queryForMap("SELECT status, run_id, status_message FROM gh_automation_jobs WHERE id = ?", id);
    }

    private List<Map<String, Object>> events(UUID id) {
        return jdbc.queryForList(
                "SELECT from_status, to_status, message, metadata::text AS metadata, actor FROM gh_job_events"
                        + " WHERE job_id = ? AND event_type = 'job_dispatched'",
                id);
    }

    @Test
    void eachJobInABatchIsMarkedForWhereItStands() {
        UUID pending = job("pending", null, null);
        Instant later = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        UUID scheduled = job("pending", null, later);
        UUID claimed = job("running", null, null); // a worker claimed it before this write
        UUID cancelled = job("cancelled", null, null); // cancelled while its workflow was starting

        Map<UUID, String> endedFirst = jobs.markDispatched(
                List.of(
                        new JobInserts.Started(pending, "run-1", "the shared pool"),
                        new JobInserts.Started(scheduled, "run-2", "worker w1 only"),
                        new JobInserts.Started(claimed, "run-3", "the shared pool"),
                        new JobInserts.Started(cancelled, "run-4", "the shared pool")),
                "gh-shared");

        assertThat(endedFirst).containsExactly(Map.entry(cancelled, "cancelled"));

        assertThat(row(pending))
                .containsEntry("status", "queued")
                .containsEntry("run_id", "run-1")
                .containsEntry("status_message", "Queued for the shared pool");
        assertThat(events(pending)).singleElement().satisfies(e -> {
            assertThat(e)
                    .containsEntry("from_status", "pending")
                    .containsEntry("to_status", "queued")
                    .containsEntry("message", "Workflow started on gh-shared")
                    .containsEntry("actor", "api");
            assertThat((String) e.get("metadata"))
                    .contains(
                            "\"run_id\": \"run-1\"",
                            "\"task_queue\": \"gh-shared\"",
                            "\"workflow_id\": \"gh-job-" + pending + "\"");
        });

        assertThat(row(scheduled))
                .containsEntry("status", "queued")
                .containsEntry("status_message", "Scheduled for " + later.toString());

        // the worker's status stands; the run id is filled in; the event changes no status
        assertThat(row(claimed)).containsEntry("status", "running").containsEntry("run_id", "run-3");
        assertThat(events(claimed)).singleElement().satisfies(e -> {
            assertThat(e.get("from_status")).isNull();
            assertThat(e.get("to_status")).isNull();
        });

        assertThat(row(cancelled)).containsEntry("status", "cancelled");
        assertThat(row(cancelled).get("run_id")).isNull();
        assertThat(events(cancelled)).isEmpty();
    }

    @Test
    void aRepeatedMarkChangesNothingTwiceAndKeepsTheFirstRunId() {
        UUID id = job("pending", null, null);
        jobs.markDispatched(List.of(new JobInserts.Started(id, "run-a", "the shared pool")), "gh-shared");
        // the sweep started it again (a no-op for Temporal) and marks it once more
        jobs.markDispatched(List.of(new JobInserts.Started(id, "run-b", "the shared pool")), "gh-shared");

        assertThat(row(id)).containsEntry("status", "queued").containsEntry("run_id", "run-a");
        assertThat(events(id)).hasSize(2);
        assertThat(events(id).get(1).get("to_status")).isNull();
    }

    @Test
    void aLargeBatchIsMarkedWhole() {
        List<UUID> ids = jdbc.queryForList(
                "INSERT INTO gh_automation_jobs (id, job_type, target_url, task_description, workflow_id)"
                        + " SELECT g.id, 'custom', 'http://x', 't', 'gh-job-' || g.id"
                        + " FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 300)) g RETURNING id",
                UUID.class);
        List<JobInserts.Started> batch = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            batch.add(new JobInserts.Started(ids.get(i), "run-" + i, "the shared pool"));
        }
        assertThat(jobs.markDispatched(batch, "gh-shared")).isEmpty();

        Map<String, Object> marked = jdbc.queryForMap(
                "SELECT count(*) FILTER (WHERE j.status = 'queued' AND j.run_id = 'run-' || (i.n - 1)) AS right_run,"
                        + " (SELECT count(*) FROM gh_job_events e WHERE e.job_id = ANY(?::uuid[])"
                        + " AND e.event_type = 'job_dispatched' AND e.to_status = 'queued') AS events"
                        + " FROM unnest(?::uuid[]) WITH ORDINALITY AS i(id, n) JOIN gh_automation_jobs j ON j.id = i.id",
                ids.toArray(new UUID[0]),
                ids.toArray(new UUID[0]));
        assertThat(marked).containsEntry("right_run", 300L).containsEntry("events", 300L);
    }
}
