package io.ghosthands.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.store.JobStore;
import io.ghosthands.activities.store.JobTransitions;
import io.ghosthands.app.support.TestDatabase;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job that ends without its result after its final submit was clicked says so in
 * {@code result_data}: {@code submitted_at} and {@code submission_confirmed}, whichever way it ended
 * (a worker lost mid-submit, an unconfirmed submission, a cancel through the API).
 */
class SubmissionRecordTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static JdbcTemplate jdbc;
    private static JobStore store;
    private static JobRepository jobs;

    @BeforeAll
    static void database() {
        TestDatabase db = TestDatabase.create("submission_record");
        jdbc = new JdbcTemplate(db.dataSource());
        store = new JobStore(db.dataSource());
        jobs = new JobRepository(db.dataSource());
    }

    private static UUID running() {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO gh_automation_jobs (id, job_type, target_url, task_description, status, run_id)"
                        + " VALUES (?, 'apply', 'http://x', 't', 'running', 'run-1')",
                id);
        return id;
    }

    private static JsonNode resultData(UUID id) {
        String text =
                jdbc.queryForObject("SELECT result_data::text FROM gh_automation_jobs WHERE id = ?", String.class, id);
        return text == null ? null : JSON.readTree(text);
    }

    private static String submittedAt(UUID id) {
        return jdbc.queryForObject("SELECT submitted_at FROM gh_automation_jobs WHERE id = ?", Timestamp.class, id)
                .toInstant()
                .toString();
    }

    @Test
    void aWorkerLostAfterTheSubmitClickLeavesAFailedJobThatSaysItWasSubmitted() {
        UUID id = running();
        store.markSubmitting(id, UUID.randomUUID().toString(), "w1");

        Map<String, Object> said = store.end(
                id,
                "run-1",
                UUID.randomUUID().toString(),
                "w1",
                "failed",
                "worker_lost",
                "The worker was lost",
                Map.of(),
                null);

        assertThat(said).containsEntry("submitted_at", submittedAt(id)).containsEntry("submission_confirmed", false);
        JsonNode result = resultData(id);
        assertThat(result.path("submitted_at").asString()).isEqualTo(submittedAt(id));
        assertThat(result.path("submission_confirmed").isBoolean()).isTrue();
        assertThat(result.path("submission_confirmed").asBoolean()).isFalse();
        String meta = jdbc.queryForObject(
                "SELECT metadata::text FROM gh_job_events WHERE job_id = ? AND event_type = 'job_failed'",
                String.class,
                id);
        assertThat(JSON.readTree(meta).path("submitted_at").asString()).isEqualTo(submittedAt(id));
        // an end repeated by a retried activity changes nothing and says the same
        assertThat(store.end(
                        id,
                        "run-1",
                        UUID.randomUUID().toString(),
                        "w1",
                        "failed",
                        "worker_lost",
                        "again",
                        Map.of(),
                        null))
                .isEqualTo(said);
    }

    @Test
    void aConfirmationRecordedBeforeTheEndIsReportedAsConfirmed() {
        UUID id = running();
        store.markSubmitting(id, UUID.randomUUID().toString(), "w1");
        store.recordSubmission(id, Map.of("submitted", true, "confirmation_id", "C-1"), "Applied", List.of());

        store.end(id, "run-1", UUID.randomUUID().toString(), "w1", "cancelled", null, "Job cancelled", Map.of(), null);

        assertThat(resultData(id).path("submission_confirmed").asBoolean()).isTrue();
    }

    @Test
    void aJobThatNeverClickedSubmitKeepsItsResultDataAsItWas() {
        UUID id = running();

        assertThat(store.end(
                        id,
                        "run-1",
                        UUID.randomUUID().toString(),
                        "w1",
                        "failed",
                        "timeout",
                        "Timed out",
                        Map.of(),
                        null))
                .isNull();

        assertThat(resultData(id)).isNull();
    }

    @Test
    void aCancelThroughTheApiAfterTheSubmitClickSaysSoToo() {
        UUID id = running();
        store.markSubmitting(id, UUID.randomUUID().toString(), "w1");

        JobTransitions.Transition cancelled = new TransactionTemplate(
                        new DataSourceTransactionManager(jdbc.getDataSource()))
                .execute(s -> jobs.cancel(id, "api"));

        assertThat(cancelled.done()).isTrue();
        assertThat(resultData(id).path("submitted_at").asString()).isEqualTo(submittedAt(id));
        assertThat(resultData(id).path("submission_confirmed").asBoolean()).isFalse();
    }

    private static boolean marked(UUID id) {
        return jdbc.queryForObject(
                "SELECT submitted_at IS NOT NULL FROM gh_automation_jobs WHERE id = ?", Boolean.class, id);
    }

    @Test
    void aSubmitRecordWhoseClickNeverHappenedIsTakenBackOnlyByTheStepThatMadeIt() {
        UUID id = running();
        String mark = UUID.randomUUID().toString();
        assertThat(store.markSubmitting(id, mark, "w1"))
                .as("the first record is this step's")
                .isTrue();
        assertThat(store.markSubmitting(id, UUID.randomUUID().toString(), "w1"))
                .as("a second keeps the first")
                .isFalse();

        // another submit was started after this one: the record stays (that one may have clicked)
        assertThat(store.withdrawSubmitting(id, mark, UUID.randomUUID().toString(), "w1", "the step was stopped first"))
                .isFalse();
        assertThat(marked(id)).isTrue();

        UUID alone = running();
        String only = UUID.randomUUID().toString();
        assertThat(store.markSubmitting(alone, only, "w1")).isTrue();
        assertThat(store.withdrawSubmitting(
                        alone, only, UUID.randomUUID().toString(), "w1", "the job's workflow is gone"))
                .isTrue();
        assertThat(marked(alone)).as("a later attempt may apply").isFalse();
        assertThat(jdbc.queryForObject(
                        "SELECT message FROM gh_job_events WHERE job_id = ? AND event_type = 'submit_withdrawn'",
                        String.class,
                        alone))
                .contains("the job's workflow is gone");
        // marked again and confirmed: never taken back
        String again = UUID.randomUUID().toString();
        assertThat(store.markSubmitting(alone, again, "w1")).isTrue();
        store.recordSubmission(alone, Map.of("submitted", true), "Applied", List.of());
        assertThat(store.withdrawSubmitting(alone, again, UUID.randomUUID().toString(), "w1", "x"))
                .isFalse();
        assertThat(marked(alone)).isTrue();
        assertThat(store.end(
                        alone,
                        "run-1",
                        UUID.randomUUID().toString(),
                        "w1",
                        "failed",
                        "worker_lost",
                        "lost",
                        Map.of(),
                        null))
                .containsEntry("submission_confirmed", true);
    }
}
