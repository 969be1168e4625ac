package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.jobs.JobService;
import io.ghosthands.app.jobs.WorkflowLiveness;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.app.worker.WorkerSettings;
import io.ghosthands.temporaldev.TemporalDevServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The embedded Temporal dev server keeps workflows in memory: stopped and started again it has
 * forgotten every one. GhostHands (API and worker in one process, on a Temporal of this test's own)
 * must then not freeze: during the outage a resume answers 503 and changes nothing; a browser step
 * that reaches its final submit with its workflow out of reach does not click it; afterwards the
 * reconciler starts the queued and scheduled jobs again and fails the paused and running ones with
 * {@code workflow_lost} and a {@code failed} callback, without sending any application.
 */
class TemporalOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void afterATemporalRestartNothingStaysFrozenAndNothingIsSubmittedForALostWorkflow() throws Exception {
        int port = TestTemporal.freePort();
        TemporalDevServer temporal = TemporalDevServer.start(port);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.temporal.connection.target", "127.0.0.1:" + port);
        props.put("gh.temporal.in-process", "false"); // over TCP, so the clients find the restarted server
        props.put("gh.api.reconcile-after-seconds", 3);
        props.put("gh.api.reconcile-interval-ms", 1000);
        props.put("gh.callbacks.max-interval", "2s");
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        site.createContext("/2fa", ex -> {
            byte[] page = ("<!doctype html><title>Verify</title><h1>Two-step verification</h1><p>Enter the verification"
                            + " code we sent you.</p><form method=post><input name=otp autocomplete=one-time-code maxlength=6>"
                            + "<button>Verify</button></form>")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        site.start();
        TestStack stack = null;
        try (TestPages pages = new TestPages();
                CallbackReceiver receiver = new CallbackReceiver()) {
            stack = TestStack.start("outage", GhostHands.Roles.DEV, props);
            ApiClient api = stack.api();
            JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
            String site2fa = "http://127.0.0.1:" + site.getAddress().getPort() + "/2fa";

            // paused for a human
            String paused = created(api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"custom\",\"target_url\":\"" + site2fa + "\",\"callback_url\":\""
                            + receiver.url("/cb") + "\",\"max_retries\":0}"));
            api.awaitJob(paused, j -> j.path("status").asString().equals("paused"), WAIT);
            // an application whose posting takes 8 s to load: its step reaches the final submit while
            // Temporal is down
            int submittedBefore = pages.submissions();
            String applying = created(api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"apply\",\"target_url\":\""
                            + pages.url("/slow-job?ms=8000") + "\",\"callback_url\":\"" + receiver.url("/cb")
                            + "\",\"max_retries\":0,"
                            + "\"input_data\":{\"user_data\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                            + "\"email\":\"ada@example.com\"}}}"));
            api.awaitJob(applying, j -> j.path("status").asString().equals("running"), WAIT);
            // waiting for a worker that never comes, and scheduled for later
            String queued = created(api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank")
                            + "\",\"target_worker_id\":\"late\",\"worker_affinity\":\"strict\"}"));
            String scheduled = created(api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank") + "\",\"scheduled_at\":\""
                            + Instant.now().plusSeconds(3600) + "\"}"));
            api.awaitJob(queued, j -> j.path("status").asString().equals("queued"), WAIT);
            api.awaitJob(scheduled, j -> j.path("status").asString().equals("queued"), WAIT);
            String queuedRun = run(jdbc, queued);
            Map<String, Object> pausedBefore = row(jdbc, paused);

            // Temporal goes away
            temporal.close();
            long downAt = System.nanoTime();
            Answer resumed = api.post(
                    "/api/v1/gh/valet/resume/" + paused,
                    "{\"resolution_type\":\"code_entry\"," + "\"resolution_data\":{\"code\":\"123456\"}}");
            assertThat(resumed.status()).as("%s", resumed.json()).isEqualTo(503);
            assertThat(resumed.json().path("error").asString()).isEqualTo("temporal_unavailable");
            assertThat(row(jdbc, paused)).isEqualTo(pausedBefore);
            Answer cancelled = api.post("/api/v1/gh/jobs/" + paused + "/cancel", "");
            assertThat(cancelled.status()).isEqualTo(503);
            assertThat(row(jdbc, paused)).isEqualTo(pausedBefore);

            // the application's step reaches its submit meanwhile (8 s page, then the form) and withholds it
            long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (events(jdbc, applying, "submit_withheld") == 0 && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            assertThat(events(jdbc, applying, "submit_withheld"))
                    .as("the submit was withheld")
                    .isEqualTo(1);
            Thread.sleep(Math.max(
                    0,
                    Duration.ofSeconds(3).toMillis()
                            - Duration.ofNanos(System.nanoTime() - downAt).toMillis()));
            // nothing was decided while Temporal was out of reach
            assertThat(status(jdbc, paused)).isEqualTo("paused");
            assertThat(status(jdbc, queued)).isEqualTo("queued");

            // it comes back, having forgotten everything
            temporal = TemporalDevServer.start(port);

            JsonNode failedPaused = api.awaitJob(paused, ApiClient::terminal, WAIT);
            assertThat(failedPaused.path("status").asString()).isEqualTo("failed");
            assertThat(failedPaused.path("error_code").asString()).isEqualTo("workflow_lost");
            assertThat(failedPaused
                            .path("error_details")
                            .path("status_when_lost")
                            .asString())
                    .isEqualTo("paused");
            JsonNode failedApply = api.awaitJob(applying, ApiClient::terminal, WAIT);
            assertThat(failedApply.path("status").asString()).isEqualTo("failed");
            assertThat(failedApply.path("error_code").asString()).isEqualTo("workflow_lost");
            assertThat(failedApply.path("submitted_at").isNull())
                    .as("no submission recorded")
                    .isTrue();
            assertThat(pages.submissions() - submittedBefore)
                    .as("applications the site received")
                    .isZero();

            // both reported, through the callbacks the API owes
            Map<String, Object> cb = receiver.await(paused, "failed", WAIT);
            assertThat(cb.get("error_code")).isEqualTo("workflow_lost");
            assertThat(receiver.await(applying, "failed", WAIT).get("error_code"))
                    .isEqualTo("workflow_lost");

            // the queued and the scheduled job run under a new workflow, still waiting as they were
            JobService service = stack.bean(JobService.class);
            until = System.nanoTime() + WAIT.toNanos();
            while ((service.liveness(UUID.fromString(queued)) != WorkflowLiveness.Liveness.LIVE
                            || service.liveness(UUID.fromString(scheduled)) != WorkflowLiveness.Liveness.LIVE)
                    && System.nanoTime() < until) {
                Thread.sleep(250);
            }
            assertThat(service.liveness(UUID.fromString(queued))).isEqualTo(WorkflowLiveness.Liveness.LIVE);
            assertThat(service.liveness(UUID.fromString(scheduled))).isEqualTo(WorkflowLiveness.Liveness.LIVE);
            assertThat(status(jdbc, queued)).isEqualTo("queued");
            assertThat(status(jdbc, scheduled)).isEqualTo("queued");
            assertThat(run(jdbc, queued)).isNotEqualTo(queuedRun);
            assertThat(events(jdbc, queued, "job_redispatched")).isEqualTo(1);
            // the new run owns the job: the worker it waits for comes, claims it and runs it
            WorkerRuntime late = WorkerRuntime.start(
                    new WorkerSettings(
                                    "late",
                                    true,
                                    1,
                                    0,
                                    BrowserSettings.resolve(null, true).withExtraArgs(List.of(TestStack.LOOPBACK_ONLY)),
                                    () -> api.baseUrl(),
                                    TestStack.SERVICE_KEY)
                            .withOutbound(stack.outboundPolicy()),
                    stack.temporalClient(),
                    stack.dataSource());
            try {
                JsonNode ran = api.awaitJob(queued, ApiClient::terminal, WAIT);
                assertThat(ran.path("status").asString()).as("%s", ran).isEqualTo("completed");
                assertThat(ran.path("worker_id").asString()).isEqualTo("late");
            } finally {
                late.close();
            }

            // and nothing is left for the alerts to flag
            JsonNode alerts = api.get("/monitoring/alerts").json();
            for (JsonNode alert : alerts.path("alerts")) {
                assertThat(alert.path("type").asString()).isNotIn("jobs_without_workflow", "paused_past_timeout");
            }

            // a new job runs as usual on the restarted Temporal
            String fresh = created(api.post(
                    "/api/v1/gh/jobs", "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank") + "\"}"));
            assertThat(api.awaitJob(fresh, ApiClient::terminal, WAIT)
                            .path("status")
                            .asString())
                    .isEqualTo("completed");
        } finally {
            if (stack != null) {
                stack.close();
            }
            site.stop(0);
            temporal.close();
        }
    }

    private static String created(Answer answer) {
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private static Map<String, Object> row(JdbcTemplate jdbc, String id) {
        return jdbc.queryForMap(
                "SELECT status, paused_at, completed_at, error_code, status_message, updated_at"
                        + " FROM gh_automation_jobs WHERE id = ?::uuid",
                id);
    }

    private static String status(JdbcTemplate jdbc, String id) {
        return jdbc.queryForObject("SELECT status FROM gh_automation_jobs WHERE id = ?::uuid", String.class, id);
    }

    private static String run(JdbcTemplate jdbc, String id) {
        return jdbc.queryForObject("SELECT run_id FROM gh_automation_jobs WHERE id = ?::uuid", String.class, id);
    }

    private static long events(JdbcTemplate jdbc, String id, String type) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM gh_job_events WHERE job_id = ?::uuid AND event_type = ?", Long.class, id, type);
    }
}
