package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.jobs.JobService;
import io.ghosthands.app.jobs.NoLiveWorkflowException;
import io.ghosthands.app.jobs.WorkflowLiveness;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import io.ghosthands.workflows.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A resume or cancel needs the job's workflow: on a paused or running job whose workflow is gone
 * (Temporal lost it) the API answers 409 {@code workflow_gone}, when Temporal cannot be reached 503
 * {@code temporal_unavailable}, and the row stays exactly as it was. An API-only stack on the shared
 * test Temporal; the reconciler is off so that nothing else touches the rows.
 */
class NoLiveWorkflowTest {

    private static TestStack stack;
    private static ApiClient api;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        stack = TestStack.start("nolive", GhostHands.Roles.API, Map.of("gh.api.reconcile-after-seconds", 0));
        api = stack.api();
        jdbc = new JdbcTemplate(stack.dataSource());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** A job whose row says {@code status} (held by a worker) while Temporal no longer runs its workflow. */
    private static String orphan(String status) {
        Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/job\",\"callback_url\":\"http://127.0.0.1:9/cb\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().path("id").asString();
        api.awaitJob(id, j -> j.path("status").asString().equals("queued"), Duration.ofSeconds(30));
        // what a restarted in-memory Temporal leaves: the run is not running any more
        stack.temporalClient()
                .newUntypedWorkflowStub(WorkflowIds.forJob(UUID.fromString(id)))
                .terminate("lost");
        jdbc.update(
                "UPDATE gh_automation_jobs SET status = ?, worker_id = 'gone-worker', started_at = now(),"
                        + " paused_at = CASE WHEN ? = 'paused' THEN now() - interval '5 seconds' END,"
                        + " status_message = 'as the worker left it' WHERE id = ?::uuid",
                status,
                status,
                id);
        return id;
    }

    private static Map<String, Object> row(String id) {
        return jdbc.queryForMap(
                "SELECT status, paused_at, completed_at, error_code, status_message, updated_at"
                        + " FROM gh_automation_jobs WHERE id = ?::uuid",
                id);
    }

    private static long events(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM gh_job_events WHERE job_id = ?::uuid", Long.class, id);
    }

    @Test
    void resumeOfAPausedJobWithoutWorkflowIs409AndLeavesTheRowPaused() {
        String id = orphan("paused");
        Map<String, Object> before = row(id);
        long eventsBefore = events(id);

        Answer resumed = api.post("/api/v1/gh/valet/resume/" + id, "{\"resolution_type\":\"manual\"}");

        assertThat(resumed.status()).as("%s", resumed.json()).isEqualTo(409);
        assertThat(resumed.json().path("error").asString()).isEqualTo("workflow_gone");
        assertThat(resumed.json().path("current_status").asString()).isEqualTo("paused");
        assertThat(resumed.json().path("message").asString()).contains("workflow is gone");
        assertThat(row(id)).isEqualTo(before);
        assertThat(events(id)).isEqualTo(eventsBefore);

        // the human's cancel through the same route: refused the same way
        Answer cancelled = api.post("/api/v1/gh/valet/resume/" + id, "{\"action\":\"cancel\"}");
        assertThat(cancelled.status()).isEqualTo(409);
        assertThat(cancelled.json().path("error").asString()).isEqualTo("workflow_gone");
        assertThat(row(id)).isEqualTo(before);
    }

    @Test
    void cancelOfARunningOrPausedJobWithoutWorkflowIs409AndLeavesTheRow() {
        for (String status : new String[] {"running", "paused"}) {
            String id = orphan(status);
            Map<String, Object> before = row(id);

            Answer cancelled = api.post("/api/v1/gh/jobs/" + id + "/cancel", "");

            assertThat(cancelled.status())
                    .as("%s: %s", status, cancelled.json())
                    .isEqualTo(409);
            assertThat(cancelled.json().path("error").asString()).isEqualTo("workflow_gone");
            assertThat(cancelled.json().path("current_status").asString()).isEqualTo(status);
            assertThat(row(id)).isEqualTo(before);
        }
    }

    @Test
    void aQueuedJobWithoutWorkflowCanStillBeCancelled() {
        // nobody holds it: the row is all there is, and its callback is owed by the API
        Answer created =
                api.post("/api/v1/gh/jobs", "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/job\"}");
        String id = created.json().path("id").asString();
        api.awaitJob(id, j -> j.path("status").asString().equals("queued"), Duration.ofSeconds(30));
        stack.temporalClient()
                .newUntypedWorkflowStub(WorkflowIds.forJob(UUID.fromString(id)))
                .terminate("lost");

        Answer cancelled = api.post("/api/v1/gh/jobs/" + id + "/cancel", "");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(row(id).get("status")).isEqualTo("cancelled");
    }

    @Test
    void aPausedJobWhoseWorkflowRunsIsStillResumed() {
        // its workflow runs (waiting for a claim nobody makes here): the resume is signalled as before
        Answer created =
                api.post("/api/v1/gh/jobs", "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/job\"}");
        String id = created.json().path("id").asString();
        api.awaitJob(id, j -> j.path("status").asString().equals("queued"), Duration.ofSeconds(30));
        jdbc.update("UPDATE gh_automation_jobs SET status = 'paused', paused_at = now() WHERE id = ?::uuid", id);

        Answer resumed = api.post("/api/v1/gh/valet/resume/" + id, "");

        assertThat(resumed.status()).as("%s", resumed.json()).isEqualTo(200);
        assertThat(resumed.json().path("status").asString()).isEqualTo("running");
        assertThat(row(id).get("status")).isEqualTo("running");
    }

    /** Makes the row look untouched for {@code seconds} (the updated_at trigger is off for this one write). */
    private static void age(String id, int seconds) {
        jdbc.execute("BEGIN; SET LOCAL session_replication_role = replica;"
                + " UPDATE gh_automation_jobs SET updated_at = now() - interval '" + seconds + " seconds' WHERE id = '"
                + id + "';"
                + " COMMIT;");
    }

    @Test
    void theAlertsNameEveryStuckState() {
        String running = orphan("running");
        String paused = orphan("paused");
        // queued, its workflow gone
        Answer created =
                api.post("/api/v1/gh/jobs", "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/job\"}");
        String queued = created.json().path("id").asString();
        api.awaitJob(queued, j -> j.path("status").asString().equals("queued"), Duration.ofSeconds(30));
        stack.temporalClient()
                .newUntypedWorkflowStub(WorkflowIds.forJob(UUID.fromString(queued)))
                .terminate("lost");
        // paused past its pause's timer (its workflow would have failed it)
        String overdue = orphan("paused");
        jdbc.update(
                "UPDATE gh_automation_jobs SET paused_at = now() - interval '10 minutes',"
                        + " interaction_data = '{\"timeout_seconds\": 60}'::jsonb WHERE id = ?::uuid",
                overdue);
        // running without a heartbeat
        jdbc.update(
                "UPDATE gh_automation_jobs SET last_heartbeat = now() - interval '10 minutes' WHERE id = ?::uuid",
                running);
        // pending: its workflow never started
        String pending = orphan("running");
        jdbc.update(
                "UPDATE gh_automation_jobs SET status = 'pending', created_at = now() - interval '10 minutes'"
                        + " WHERE id = ?::uuid",
                pending);
        for (String id : new String[] {running, paused, queued, overdue, pending}) {
            age(id, 600);
        }

        JsonNode alerts = api.get("/monitoring/alerts").json();

        Map<String, JsonNode> byType = new HashMap<>();
        for (JsonNode alert : alerts.path("alerts")) {
            byType.put(alert.path("type").asString(), alert);
        }
        assertThat(ids(byType.get("jobs_without_workflow")))
                .as("%s", alerts)
                .contains(running, paused, queued, overdue);
        assertThat(byType.get("jobs_without_workflow").path("severity").asString())
                .isEqualTo("critical");
        assertThat(ids(byType.get("paused_past_timeout")))
                .as("%s", alerts)
                .contains(overdue)
                .doesNotContain(paused);
        assertThat(ids(byType.get("stale_running_jobs"))).as("%s", alerts).contains(running);
        assertThat(ids(byType.get("jobs_not_dispatched"))).as("%s", alerts).contains(pending);
        // none of them was touched by looking
        assertThat(row(running).get("status")).isEqualTo("running");
        assertThat(row(queued).get("status")).isEqualTo("queued");
    }

    private static List<String> ids(JsonNode alert) {
        List<String> ids = new ArrayList<>();
        if (alert != null) {
            alert.path("job_ids").forEach(n -> ids.add(n.asString()));
        }
        return ids;
    }

    @Test
    void temporalOutOfReachIsToldFromAWorkflowThatIsGone() {
        // a client on a port nothing listens on: the describe fails with UNAVAILABLE, not NOT_FOUND
        WorkflowServiceStubs dead = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + TestTemporal.freePort())
                .setRpcTimeout(Duration.ofSeconds(2))
                .build());
        try {
            WorkflowLiveness offline = new WorkflowLiveness(WorkflowClient.newInstance(dead));
            UUID id = UUID.randomUUID();

            assertThat(offline.liveness(id)).isEqualTo(WorkflowLiveness.Liveness.UNREACHABLE);
            assertThatThrownBy(() -> offline.requireLiveWorkflow(id, "paused"))
                    .isInstanceOfSatisfying(
                            NoLiveWorkflowException.class,
                            e -> assertThat(e.gone()).isFalse());
            assertThat(JobsController.noLiveWorkflow(
                                    new NoLiveWorkflowException(false, "paused", "down"), id.toString())
                            .status()
                            .value())
                    .isEqualTo(503);

            // and the real Temporal tells an id it never saw from one it runs
            JobService online = stack.bean(JobService.class);
            assertThat(online.liveness(id)).isEqualTo(WorkflowLiveness.Liveness.GONE);
        } finally {
            dead.shutdownNow();
        }
    }
}
