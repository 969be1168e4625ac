package io.ghosthands.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.activities.store.JobRef;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.app.config.GhProperties;
import io.ghosthands.app.support.TestDatabase;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * New jobs written together: {@link JobRepository#insertAll} (one statement for many jobs) and
 * {@link JobWriter}, which makes concurrent creates share it, against a real database.
 */
class JobWriterTest {

    private static JdbcTemplate jdbc;
    private static JobRepository jobs;

    @BeforeAll
    static void database() {
        TestDatabase db = TestDatabase.create("job_writer");
        jdbc = new JdbcTemplate(db.dataSource());
        jobs = new JobRepository(db.dataSource());
    }

    private static NewJob job(String key) {
        return new NewJob(
                "scrape",
                "https://example.com/jobs/1",
                "read it",
                "{}",
                5,
                null,
                3,
                300,
                "[]",
                key,
                "{}",
                null,
                null,
                null,
                "preferred",
                "api",
                null,
                null,
                "auto");
    }

    private static JobInserts.Insert insert(NewJob job) {
        return new JobInserts.Insert(
                UUID.randomUUID(), job, UUID.randomUUID(), "{\"job_type\":\"" + job.jobType() + "\"}");
    }

    private static long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    private static final OffsetDateTime LATER =
            OffsetDateTime.now(ZoneOffset.UTC).plusHours(3).truncatedTo(ChronoUnit.SECONDS);
    private static final UUID USER = UUID.randomUUID();

    /** A job with every field set. */
    private static NewJob full() {
        return new NewJob(
                "apply",
                "https://boards.example.com/acme/jobs/7",
                "apply, please",
                "{\"user_data\":{\"first_name\":\"Ada\"}}",
                2,
                LATER,
                1,
                600,
                "[\"a\",\"b\"]",
                null,
                "{\"source\":\"t\"}",
                "https://valet.example.com/cb",
                USER,
                "w-7",
                "strict",
                "valet",
                "task-7",
                "{\"storage_path\":\"resumes/ada.pdf\"}",
                "auto");
    }

    @Test
    void oneStatementWritesEachJobWholeWithItsEvent() {
        JobInserts.Insert a = insert(full());
        JobInserts.Insert b = insert(job(null));
        JobInserts.Insert c = insert(job(null));

        Map<UUID, OffsetDateTime> written = jobs.insertAll(List.of(a, b, c));

        assertThat(written).containsOnlyKeys(a.id(), b.id(), c.id());
        assertWhole(a, written.get(a.id()));
        assertThat(jdbc.queryForObject(
                        "SELECT status_message FROM gh_automation_jobs WHERE id = ?", String.class, b.id()))
                .isEqualTo("Waiting to be dispatched");
        for (JobInserts.Insert i : List.of(b, c)) {
            assertOneCreatedEvent(i);
        }
    }

    @Test
    void aLoneJobIsWrittenTheSameWay() {
        JobInserts.Insert a = insert(full());
        Optional<OffsetDateTime> at = jobs.insert(a);
        assertThat(at).isPresent();
        assertWhole(a, at.get());

        String key = "lone-" + UUID.randomUUID();
        assertThat(jobs.insert(insert(job(key)))).isPresent();
        JobInserts.Insert again = insert(job(key));
        assertThat(jobs.insert(again)).isEmpty();
        assertThat(count("SELECT count(*) FROM gh_automation_jobs WHERE id = ?", again.id()))
                .isZero();
        assertThat(count("SELECT count(*) FROM gh_job_events WHERE job_id = ?", again.id()))
                .isZero();
    }

    private static void assertWhole(JobInserts.Insert a, OffsetDateTime createdAt) {
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT job_type, target_url, task_description, input_data::text AS input_data, priority, scheduled_at,"
                        + " max_retries, timeout_seconds, tags::text AS tags, metadata::text AS metadata, callback_url, user_id,"
                        + " target_worker_id, worker_affinity, created_by, valet_task_id, resume_ref::text AS resume_ref,"
                        + " execution_mode, status, status_message, workflow_id, created_at FROM gh_automation_jobs WHERE id = ?",
                a.id());
        assertThat(row)
                .containsEntry("job_type", "apply")
                .containsEntry("target_url", "https://boards.example.com/acme/jobs/7")
                .containsEntry("task_description", "apply, please")
                .containsEntry("input_data", "{\"user_data\": {\"first_name\": \"Ada\"}}")
                .containsEntry("priority", 2)
                .containsEntry("max_retries", 1)
                .containsEntry("timeout_seconds", 600)
                .containsEntry("tags", "[\"a\", \"b\"]")
                .containsEntry("metadata", "{\"source\": \"t\"}")
                .containsEntry("callback_url", "https://valet.example.com/cb")
                .containsEntry("user_id", USER)
                .containsEntry("target_worker_id", "w-7")
                .containsEntry("worker_affinity", "strict")
                .containsEntry("created_by", "valet")
                .containsEntry("valet_task_id", "task-7")
                .containsEntry("resume_ref", "{\"storage_path\": \"resumes/ada.pdf\"}")
                .containsEntry("status", "pending")
                .containsEntry("status_message", "Scheduled for " + LATER.toInstant())
                .containsEntry("workflow_id", "gh-job-" + a.id());
        assertThat(((Timestamp) row.get("scheduled_at")).toInstant()).isEqualTo(LATER.toInstant());
        assertThat(((Timestamp) row.get("created_at")).toInstant()).isEqualTo(createdAt.toInstant());
        assertOneCreatedEvent(a);
    }

    private static void assertOneCreatedEvent(JobInserts.Insert i) {
        List<Map<String, Object>> events = jdbc.queryForList(
                "SELECT id, event_type, to_status, message, metadata::text AS metadata, actor FROM gh_job_events"
                        + " WHERE job_id = ?",
                i.id());
        assertThat(events)
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .containsEntry("id", i.eventId())
                        .containsEntry("event_type", "job_created")
                        .containsEntry("to_status", "pending")
                        .containsEntry("actor", i.job().createdBy())
                        .containsEntry("metadata", "{\"job_type\": \"" + i.job().jobType() + "\"}"));
    }

    /** A VALET job for this task, refused while another job holds the task. */
    private static NewJob forTask(String task) {
        return new NewJob(
                        "apply",
                        "https://boards.example.com/acme/jobs/7",
                        "apply",
                        "{}",
                        5,
                        null,
                        3,
                        300,
                        "[]",
                        null,
                        "{}",
                        null,
                        null,
                        null,
                        "preferred",
                        "valet",
                        task,
                        null,
                        "auto")
                .exclusiveToItsValetTask();
    }

    private static UUID written(NewJob job) {
        JobInserts.Insert row = insert(job);
        return jobs.insert(row).map(at -> row.id()).orElse(null);
    }

    @Test
    void aValetTaskHasOneJobUntilItEndsWithoutASubmission() {
        String task = "task-" + UUID.randomUUID();
        UUID first = written(forTask(task));
        assertThat(first).isNotNull();
        // held while pending, queued, running, paused or completed
        for (String status : List.of("pending", "queued", "running", "paused", "completed")) {
            jdbc.update("UPDATE gh_automation_jobs SET status = ? WHERE id = ?", status, first);
            assertThat(written(forTask(task)))
                    .as("while the first job is %s", status)
                    .isNull();
            assertThat(jobs.valetTaskHolder(task)).contains(new JobRef(first.toString(), status));
        }
        // a job that ended without submitting lets the task go
        for (String status : List.of("failed", "cancelled", "expired")) {
            jdbc.update("UPDATE gh_automation_jobs SET status = ? WHERE valet_task_id = ?", status, task);
            assertThat(jobs.valetTaskHolder(task)).isEmpty();
            assertThat(written(forTask(task)))
                    .as("after a job %s without a submission", status)
                    .isNotNull();
        }
        // ... unless it recorded a submission: submitted_at, or only its submit_started event
        jdbc.update("UPDATE gh_automation_jobs SET status = 'failed' WHERE valet_task_id = ?", task);
        UUID submitted = written(forTask(task));
        jdbc.update("UPDATE gh_automation_jobs SET status = 'failed', submitted_at = now() WHERE id = ?", submitted);
        assertThat(written(forTask(task))).isNull();
        assertThat(jobs.valetTaskHolder(task))
                .get()
                .satisfies(h -> assertThat(h.id()).isEqualTo(submitted.toString()));
        jdbc.update("UPDATE gh_automation_jobs SET submitted_at = NULL WHERE id = ?", submitted);
        jdbc.update("INSERT INTO gh_job_events (job_id, event_type) VALUES (?, 'submit_started')", submitted);
        assertThat(written(forTask(task))).isNull();
        // a job that does not claim its task (POST /jobs naming a valet_task_id) is written as before
        NewJob plain = new NewJob(
                "scrape",
                "https://example.com/x",
                "t",
                "{}",
                5,
                null,
                3,
                300,
                "[]",
                null,
                "{}",
                null,
                null,
                null,
                "preferred",
                "api",
                task,
                null,
                "auto");
        assertThat(written(plain)).isNotNull();
        assertThat(written(forTask(task))).isNull();
    }

    @Test
    void twoJobsForOneTaskInOneStatementMakeOne() {
        String task = "task-" + UUID.randomUUID();
        JobInserts.Insert first = insert(forTask(task));
        JobInserts.Insert second = insert(forTask(task));
        JobInserts.Insert other = insert(forTask("task-" + UUID.randomUUID()));

        Map<UUID, OffsetDateTime> written = jobs.insertAll(List.of(first, second, other));

        assertThat(written).containsOnlyKeys(first.id(), other.id());
        assertThat(count("SELECT count(*) FROM gh_automation_jobs WHERE valet_task_id = ?", task))
                .isOne();
        assertThat(count("SELECT count(*) FROM gh_job_events WHERE job_id = ?", second.id()))
                .isZero();
    }

    @Test
    void concurrentJobsForOneTaskThroughTwoWritersMakeExactlyOne() throws Exception {
        // two writers stand for two API nodes: each groups what it is given into shared statements
        JobWriter a = new JobWriter(jobs, new GhProperties());
        JobWriter b = new JobWriter(jobs, new GhProperties());
        a.start();
        b.start();
        int threads = 24;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                String task = "task-" + UUID.randomUUID();
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Future<Optional<OffsetDateTime>>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    JobWriter writer = t % 2 == 0 ? a : b;
                    results.add(pool.submit(() -> {
                        JobInserts.Insert row = insert(forTask(task));
                        together.await();
                        return writer.write(row);
                    }));
                }
                int made = 0;
                for (Future<Optional<OffsetDateTime>> f : results) {
                    made += f.get().isPresent() ? 1 : 0;
                }
                assertThat(made).as("round %d", round).isOne();
                assertThat(count("SELECT count(*) FROM gh_automation_jobs WHERE valet_task_id = ?", task))
                        .isOne();
                assertThat(count(
                                "SELECT count(*) FROM gh_job_events e JOIN gh_automation_jobs j ON j.id = e.job_id"
                                        + " WHERE j.valet_task_id = ? AND e.event_type = 'job_created'",
                                task))
                        .isOne();
            }
        } finally {
            pool.shutdown();
            a.stop();
            b.stop();
        }
    }

    @Test
    void aJobWhoseKeyIsTakenIsLeftOutAndTheOthersAreWritten() {
        String taken = "taken-" + UUID.randomUUID();
        String twice = "twice-" + UUID.randomUUID();
        assertThat(jobs.insert(insert(job(taken)))).isPresent();
        JobInserts.Insert repeat = insert(job(taken));
        JobInserts.Insert first = insert(job(twice));
        JobInserts.Insert second = insert(job(twice)); // same key, later in the same statement
        JobInserts.Insert plain = insert(job(null));

        Map<UUID, OffsetDateTime> written = jobs.insertAll(List.of(repeat, first, second, plain));

        assertThat(written).containsOnlyKeys(first.id(), plain.id());
        assertThat(count("SELECT count(*) FROM gh_automation_jobs WHERE id = ANY(?)", (Object)
                        new UUID[] {repeat.id(), second.id()}))
                .isZero();
        assertThat(count("SELECT count(*) FROM gh_job_events WHERE job_id = ANY(?)", (Object)
                        new UUID[] {repeat.id(), second.id()}))
                .isZero();
        assertThat(count("SELECT count(*) FROM gh_automation_jobs WHERE idempotency_key = ?", twice))
                .isOne();
    }

    @Test
    void concurrentCreatesShareStatementsAndEveryOneLands() throws Exception {
        JobWriter writer = new JobWriter(jobs, new GhProperties());
        writer.start();
        int threads = 32;
        int each = 25;
        String tag = "[\"writer-" + UUID.randomUUID() + "\"]";
        NewJob tagged = new NewJob(
                "scrape",
                "https://example.com/x",
                "t",
                "{}",
                5,
                null,
                3,
                300,
                tag,
                null,
                "{}",
                null,
                null,
                null,
                "preferred",
                "api",
                null,
                null,
                "auto");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<UUID>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    List<UUID> ids = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        JobInserts.Insert row = insert(tagged);
                        assertThat(writer.write(row)).isPresent(); // returns once committed
                        assertThat(count("SELECT count(*) FROM gh_automation_jobs WHERE id = ?", row.id()))
                                .isOne();
                        ids.add(row.id());
                    }
                    return ids;
                }));
            }
            for (Future<List<UUID>> f : results) {
                assertThat(f.get()).hasSize(each);
            }
        } finally {
            pool.shutdown();
            writer.stop();
        }
        int total = threads * each;
        assertThat(count("SELECT count(*) FROM gh_automation_jobs WHERE tags = ?::jsonb", tag))
                .isEqualTo(total);
        assertThat(count(
                        "SELECT count(*) FROM gh_job_events e JOIN gh_automation_jobs j ON j.id = e.job_id"
                                + " WHERE j.tags = ?::jsonb AND e.event_type = 'job_created'",
                        tag))
                .isEqualTo(total);
        // creates that arrived while a write was under way went out together
        assertThat(writer.statements()).isLessThan(total);
    }

    @Test
    void aJobThatCannotBeWrittenFailsAloneInASharedWrite() throws Exception {
        JobWriter writer = new JobWriter(jobs, new GhProperties());
        NewJob bad = new NewJob(
                "scrape",
                "https://example.com/x",
                "t",
                "{}",
                11,
                null,
                3,
                300,
                "[]",
                null,
                "{}",
                null,
                null,
                null,
                "preferred",
                "api",
                null,
                null,
                "auto"); // priority outside 1..10: the check refuses it
        List<JobWriter.Pending> batch = List.of(
                new JobWriter.Pending(insert(job(null)), new CompletableFuture<>()),
                new JobWriter.Pending(insert(bad), new CompletableFuture<>()),
                new JobWriter.Pending(insert(job(null)), new CompletableFuture<>()));

        writer.writeTogether(batch);

        assertThat(batch.get(0).done().get()).isPresent();
        assertThat(batch.get(2).done().get()).isPresent();
        assertThatThrownBy(() -> batch.get(1).done().get())
                .hasCauseInstanceOf(RuntimeException.class)
                .hasMessageContaining("gh_jobs_priority_check");
        assertThat(count(
                        "SELECT count(*) FROM gh_automation_jobs WHERE id = ?",
                        batch.get(1).row().id()))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM gh_job_events WHERE job_id = ?",
                        batch.get(1).row().id()))
                .isZero();
    }

    @Test
    void aStoppedWriterStillWritesOnTheCallersThread() throws Exception {
        JobWriter writer = new JobWriter(jobs, new GhProperties());
        writer.start();
        writer.stop();
        JobInserts.Insert row = insert(job(null));
        Optional<OffsetDateTime> at = writer.write(row);
        assertThat(at).isPresent();
        assertThat(count("SELECT count(*) FROM gh_job_events WHERE job_id = ?", row.id()))
                .isOne();
    }
}
