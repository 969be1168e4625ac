package io.ghosthands.app.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ghosthands.app.support.TestDatabase;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The schema Flyway builds is the data model of contract section 1. */
class MigrationsTest {

    private static JdbcTemplate jdbc;

    @BeforeAll
    static void database() {
        jdbc = new JdbcTemplate(TestDatabase.create("schema").dataSource());
    }

    private Map<String, String> columns(String table) {
        Map<String, String> columns = new LinkedHashMap<>();
        jdbc.query(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                rs -> {
                    columns.put(rs.getString(1), rs.getString(2));
                },
                table);
        return columns;
    }

    @Test
    void jobsTableHasEveryContractColumn() {
        assertThat(columns("gh_automation_jobs"))
                .containsKeys(
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
                        "retry_count",
                        "timeout_seconds",
                        "status",
                        "status_message",
                        "started_at",
                        "completed_at",
                        "last_heartbeat",
                        "worker_id",
                        "result_data",
                        "result_summary",
                        "error_code",
                        "error_details",
                        "screenshot_urls",
                        "artifact_urls",
                        "metadata",
                        "tags",
                        "created_at",
                        "updated_at",
                        "callback_url",
                        "valet_task_id",
                        "resume_ref",
                        "target_worker_id",
                        "worker_affinity",
                        "interaction_type",
                        "interaction_data",
                        "paused_at",
                        "execution_mode",
                        "workflow_id",
                        "run_id",
                        "submitted_at",
                        "submission_result")
                .containsEntry("target_worker_id", "text")
                .containsEntry("input_data", "jsonb")
                .containsEntry("id", "uuid");
        assertThat(columns("gh_job_events"))
                .containsKeys(
                        "id",
                        "job_id",
                        "event_type",
                        "from_status",
                        "to_status",
                        "message",
                        "metadata",
                        "actor",
                        "created_at");
        assertThat(columns("gh_worker_registry"))
                .containsKeys(
                        "worker_id",
                        "target_worker_id",
                        "status",
                        "host",
                        "current_job_id",
                        "registered_at",
                        "last_heartbeat",
                        "jobs_completed",
                        "jobs_failed");
        assertThat(columns("gh_job_artifacts")).containsKeys("id", "job_id", "kind", "content_type", "content");
        // what VALET reads besides the contract's columns
        assertThat(columns("gh_automation_jobs")).containsEntry("action_count", "integer");
        assertThat(columns("gh_worker_registry"))
                .containsEntry("ec2_instance_id", "text")
                .containsEntry("ec2_ip", "text");
        assertThat(columns("gh_callback_outbox"))
                .containsKeys("event_id", "job_id", "callback_url", "body", "created_at", "relayed_at");
    }

    @Test
    void targetWorkerIndexIsPartial() {
        String def = jdbc.queryForObject(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_gh_jobs_target_worker'", String.class);
        assertThat(def).contains("(target_worker_id)").contains("WHERE (target_worker_id IS NOT NULL)");
    }

    @Test
    void defaultsAndChecksFollowTheContract() {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO gh_automation_jobs (id, job_type, target_url) VALUES (?, 'scrape', 'http://x')", id);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM gh_automation_jobs WHERE id = ?", id);
        assertThat(row.get("status")).isEqualTo("pending");
        assertThat(row.get("priority")).isEqualTo(5);
        assertThat(row.get("max_retries")).isEqualTo(3);
        assertThat(row.get("timeout_seconds")).isEqualTo(300);
        assertThat(row.get("created_by")).isEqualTo("valet");
        assertThat(row.get("worker_affinity")).isEqualTo("preferred");
        assertThat(row.get("execution_mode")).isEqualTo("auto");
        assertThat(row.get("target_worker_id")).isNull();

        assertThatThrownBy(() -> jdbc.update("UPDATE gh_automation_jobs SET priority = 0 WHERE id = ?", id))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update("UPDATE gh_automation_jobs SET status = 'bogus' WHERE id = ?", id))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() ->
                        jdbc.update("UPDATE gh_automation_jobs SET worker_affinity = 'sometimes' WHERE id = ?", id))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void updatedAtFollowsEveryUpdate() {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO gh_automation_jobs (id, job_type, target_url, updated_at) VALUES (?, 'scrape', 'http://x', ?)",
                id,
                Timestamp.valueOf("2020-01-01 00:00:00"));
        jdbc.update("UPDATE gh_automation_jobs SET status_message = 'touched' WHERE id = ?", id);
        Timestamp updated =
                jdbc.queryForObject("SELECT updated_at FROM gh_automation_jobs WHERE id = ?", Timestamp.class, id);
        assertThat(updated.toInstant())
                .isAfter(Timestamp.valueOf("2025-01-01 00:00:00").toInstant());
    }

    @Test
    void eventsGoWithTheirJob() {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO gh_automation_jobs (id, job_type, target_url) VALUES (?, 'scrape', 'http://x')", id);
        jdbc.update("INSERT INTO gh_job_events (job_id, event_type) VALUES (?, 'job_created')", id);
        jdbc.update("DELETE FROM gh_automation_jobs WHERE id = ?", id);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM gh_job_events WHERE job_id = ?", Integer.class, id))
                .isZero();
        List<String> idem = List.of("k1");
        jdbc.update(
                "INSERT INTO gh_automation_jobs (job_type, target_url, idempotency_key) VALUES ('scrape', 'http://x', ?)",
                idem.get(0));
        assertThatThrownBy(() -> jdbc.update(
                        "INSERT INTO gh_automation_jobs (job_type, target_url, idempotency_key) VALUES ('scrape', 'http://x', ?)",
                        idem.get(0)))
                .isInstanceOf(DataIntegrityViolationException.class);
    }
}
