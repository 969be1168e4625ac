package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.activities.callback.CallbackActivitiesImpl;
import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.jobs.CallbackOutbox;
import io.ghosthands.app.jobs.JobRepository;
import io.ghosthands.app.jobs.JobWriter;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.app.worker.WorkerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Every way of cancelling a job sends its {@code cancelled} callback, once: a job cancelled while
 * pending (written, its workflow not started), queued (its workflow waiting for a worker that
 * never comes), running (in a browser step) or paused (for a human), through {@code POST
 * /jobs/{id}/cancel}, VALET's resume with {@code action: cancel} and the deregistration of a
 * worker with {@code cancel_active_jobs}. Real API, worker, Temporal and Chromium; the callbacks go
 * to a receiver on loopback, signed as every callback is.
 */
class CancelCallbackTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A second callback, were one coming, would have arrived by then (callbacks retry from 1 s). */
    private static final Duration QUIET = Duration.ofSeconds(3);

    private static TestStack stack;
    private static ApiClient api;
    private static JdbcTemplate jdbc;
    private static TestPages pages;
    private static CallbackReceiver receiver;
    private static HttpServer site;

    @BeforeAll
    static void start() throws IOException {
        // nothing pending is swept into Temporal behind the tests' backs (the sweep waits 10 minutes)
        stack = TestStack.start(
                "cancelcb",
                GhostHands.Roles.DEV,
                Map.of(
                        "gh.callbacks.max-interval",
                        "2s",
                        "gh.api.redispatch-after-seconds",
                        600,
                        // where this worker runs, as GH_EC2_INSTANCE_ID and GH_EC2_IP would say
                        "gh.ec2.instance-id",
                        "i-0123456789abcdef0",
                        "gh.ec2.ip",
                        "10.0.3.17",
                        // the receiver stands for VALET, whose host is listed: it gets the service key
                        "gh.callbacks.key-hosts",
                        "127.0.0.1"));
        api = stack.api();
        jdbc = new JdbcTemplate(stack.dataSource());
        pages = new TestPages();
        receiver = new CallbackReceiver(id -> "; events " + events(id));
        // a sign-in step asking for a one-time code: a job with a callback_url pauses on it for a human
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        site.createContext("/verify", ex -> {
            byte[] body = ("<!doctype html><html><head><title>Verify your identity</title></head><body>"
                            + "<h1>Two-step verification</h1><p>Enter the 6-digit verification code we sent to your phone.</p>"
                            + "<form method='post'><label for='code'>Verification code</label>"
                            + "<input id='code' name='code' autocomplete='one-time-code' inputmode='numeric' maxlength='6'>"
                            + "<button type='submit'>Verify</button></form></body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        site.start();
    }

    @AfterAll
    static void stop() {
        site.stop(0);
        receiver.close();
        pages.close();
        stack.close();
    }

    @Test
    void aPendingJobCancelledThroughRestIsReportedOnceFromTheOutbox() throws Exception {
        String task = "task-" + UUID.randomUUID();
        String id = pendingJob(task, null);

        Answer cancel = api.post("/api/v1/gh/jobs/" + id + "/cancel", "");
        assertThat(cancel.status()).as("%s", cancel.json()).isEqualTo(200);
        assertThat(cancelledFrom(id)).isEqualTo("pending");

        Map<String, Object> callback = receiver.await(id, "cancelled");
        assertThat(callback)
                .containsEntry("job_id", id)
                .containsEntry("valet_task_id", task)
                .containsEntry("status", "cancelled")
                .containsKeys("event_id", "timestamp", "completed_at", "worker_id");
        assertSigned(id);
        assertExactlyOne(id, List.of("cancelled"));
        assertThat(events(id)).contains("callback_delivered");
    }

    @Test
    void aCallbackOwedByAnApiThatStoppedBeforeRelayingItIsDeliveredByTheSweep() throws Exception {
        String id = pendingJob("task-swept-" + UUID.randomUUID(), null);
        // the cancel's transaction committed, and the API stopped before it handed the callback on
        UUID owed = stack.bean(TransactionTemplate.class)
                .execute(status -> stack.bean(CallbackOutbox.class)
                        .oweCancelled(stack.bean(JobRepository.class)
                                .cancel(UUID.fromString(id), "test")
                                .row()));
        assertThat(owed).isNotNull();
        jdbc.update("UPDATE gh_callback_outbox SET created_at = now() - interval '1 hour' WHERE event_id = ?", owed);

        assertThat(receiver.await(id, "cancelled")).containsEntry("event_id", owed.toString());
        assertExactlyOne(id, List.of("cancelled"));
        assertThat(jdbc.queryForObject(
                        "SELECT relayed_at IS NOT NULL FROM gh_callback_outbox WHERE event_id = ?",
                        Boolean.class,
                        owed))
                .isTrue();
    }

    @Test
    void aQueuedJobCancelledThroughRestIsReportedOnce() throws Exception {
        String task = "task-" + UUID.randomUUID();
        // aimed at a worker that never comes: its workflow waits for the claim
        Answer created = api.post(
                "/api/v1/gh/valet/task",
                "{\"valet_task_id\":\"" + task + "\",\"valet_user_id\":\"u-1\","
                        + "\"job_type\":\"custom\",\"target_url\":\"" + pages.url("/blank") + "\",\"callback_url\":\""
                        + receiver.url("/cb?token=t")
                        + "\",\"target_worker_id\":\"nobody\",\"worker_affinity\":\"strict\"}");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        String id = created.json().path("job_id").asString();
        api.awaitJob(id, j -> j.path("status").asString().equals("queued"), WAIT);

        assertThat(api.post("/api/v1/gh/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        assertThat(cancelledFrom(id)).isEqualTo("queued");

        Map<String, Object> callback = receiver.await(id, "cancelled");
        assertThat(callback).containsEntry("valet_task_id", task).containsEntry("status", "cancelled");
        assertThat(receiver.hits(id).get(0).query()).isEqualTo("token=t");
        assertSigned(id);
        assertExactlyOne(id, List.of("cancelled"));
    }

    @Test
    void aRunningJobCancelledThroughRestIsReportedOnceByItsWorkflow() throws Exception {
        String gate = "running-" + UUID.randomUUID();
        String id = job(pages.gateUrl(gate), "\"valet_task_id\":\"task-" + gate + "\"");
        receiver.await(id, "running");
        api.awaitJob(id, j -> j.path("status").asString().equals("running"), WAIT);
        String worker = stack.bean(WorkerRuntime.class).workerId();
        assertThat(currentJob(worker)).isEqualTo(id);

        assertThat(api.post("/api/v1/gh/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        // the worker holds it no more, at once (its workflow's own end writes nothing on a cancelled row)
        assertThat(currentJob(worker)).isNotEqualTo(id);
        pages.open(gate);

        Map<String, Object> callback = receiver.await(id, "cancelled");
        assertThat(callback).containsEntry("valet_task_id", "task-" + gate);
        assertThat(callback.get("worker_id"))
                .isEqualTo(stack.bean(WorkerRuntime.class).workerId());
        assertExactlyOne(id, List.of("running", "cancelled"));
    }

    @Test
    void aPausedJobCancelledThroughRestIsReportedOnce() throws Exception {
        String id = job(verifyUrl(), "\"valet_task_id\":\"task-paused-rest\"");
        receiver.await(id, "needs_human");

        assertThat(api.post("/api/v1/gh/jobs/" + id + "/cancel", "").status()).isEqualTo(200);

        receiver.await(id, "cancelled");
        assertExactlyOne(id, List.of("running", "needs_human", "cancelled"));
    }

    @Test
    void aPausedJobCancelledThroughValetsResumeIsReportedOnceAsHumanCancelled() throws Exception {
        String id = job(verifyUrl(), "\"valet_task_id\":\"task-paused-valet\"");
        receiver.await(id, "needs_human");

        Answer cancel = api.post("/api/v1/gh/valet/resume/" + id, "{\"action\":\"cancel\",\"resolved_by\":\"human\"}");
        assertThat(cancel.status()).as("%s", cancel.json()).isEqualTo(200);

        assertThat(receiver.await(id, "cancelled"))
                .containsEntry("error_code", "human_cancelled")
                .containsEntry("valet_task_id", "task-paused-valet");
        assertExactlyOne(id, List.of("running", "needs_human", "cancelled"));
    }

    @Test
    void deregisteringAWorkerWithItsJobsReportsEachCancelledJobOnce() throws Exception {
        String name = "sandbox-" + UUID.randomUUID().toString().substring(0, 8);
        WorkerRuntime sandbox = WorkerRuntime.start(
                new WorkerSettings(
                                name,
                                true,
                                1,
                                0,
                                BrowserSettings.resolve(null, true).withExtraArgs(List.of(TestStack.LOOPBACK_ONLY)),
                                () -> api.baseUrl(),
                                TestStack.SERVICE_KEY,
                                WorkerSettings.Jobs.DEFAULT.withCallbackKeyHosts(List.of("127.0.0.1")))
                        .withOutbound(stack.outboundPolicy()),
                stack.temporalClient(),
                stack.dataSource(),
                Duration.ofSeconds(5));
        try {
            String gate = "deregister-" + UUID.randomUUID();
            String running = job(
                    pages.gateUrl(gate),
                    "\"target_worker_id\":\"" + name + "\",\"worker_affinity\":\"strict\",\"valet_task_id\":\"task-"
                            + gate + "\"");
            receiver.await(running, "running");
            String pending = pendingJob("task-pending-" + gate, name);

            Answer answer = api.post(
                    "/api/v1/gh/valet/workers/deregister",
                    "{\"target_worker_id\":\"" + name
                            + "\",\"reason\":\"sandbox_terminated\",\"cancel_active_jobs\":true,\"drain_timeout_seconds\":30}");
            assertThat(answer.status()).as("%s", answer.json()).isEqualTo(200);
            assertThat(answer.json().path("cancelled_job_ids").toString()).contains(running, pending);
            assertThat(answer.json().path("cancelled_jobs").toString()).contains(running, pending);
            assertThat(answer.json().path("deregistered").toString()).contains(name);
            pages.open(gate);

            assertThat(receiver.await(running, "cancelled")).containsEntry("worker_id", name);
            assertThat(receiver.await(pending, "cancelled")).containsEntry("valet_task_id", "task-pending-" + gate);
            assertExactlyOne(running, List.of("running", "cancelled"));
            assertExactlyOne(pending, List.of("cancelled"));
        } finally {
            sandbox.close();
        }
    }

    @Test
    void theWorkerSaysWhereItRunsAsConfiguredAndNeverGuesses() {
        WorkerRuntime worker = stack.bean(WorkerRuntime.class);
        JsonNode listed = null;
        for (JsonNode w : api.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/monitoring/workers")))
                .json()
                .path("workers")) {
            if (w.path("worker_id").asString().equals(worker.workerId())) {
                listed = w;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("ec2_instance_id").asString()).isEqualTo("i-0123456789abcdef0");
        assertThat(listed.path("ec2_ip").asString()).isEqualTo("10.0.3.17");
        JsonNode status = api.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + worker.statusPort() + "/worker/status")))
                .json();
        assertThat(status.path("ec2_instance_id").asString()).isEqualTo("i-0123456789abcdef0");
        assertThat(status.path("ec2_ip").asString()).isEqualTo("10.0.3.17");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String currentJob(String workerId) {
        return jdbc.queryForObject(
                "SELECT current_job_id::text FROM gh_worker_registry WHERE worker_id = ?", String.class, workerId);
    }

    /** A job with a callback to the receiver, created through the API; {@code extra} are more fields. */
    private static String job(String url, String extra) {
        Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + url
                        + "\",\"task_description\":\"look\",\"max_retries\":0,\"callback_url\":\"" + receiver.url("/cb")
                        + "\""
                        + (extra.isEmpty() ? "" : "," + extra) + "}");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    /**
     * A job written as the API writes one, durably {@code pending}, whose workflow has not been
     * started (as when Temporal is unreachable, or in the moment between the write and the start).
     */
    private static String pendingJob(String valetTaskId, String targetWorkerId) {
        NewJob job = new NewJob(
                "custom",
                pages.url("/blank"),
                "look",
                "{}",
                5,
                null,
                0,
                300,
                "[]",
                null,
                "{}",
                receiver.url("/cb"),
                null,
                targetWorkerId,
                targetWorkerId == null ? "preferred" : "strict",
                "valet",
                valetTaskId,
                null,
                "auto");
        UUID id = UUID.randomUUID();
        assertThat(stack.bean(JobWriter.class).write(new JobInserts.Insert(id, job, UUID.randomUUID(), "{}")))
                .isPresent();
        return id.toString();
    }

    private static String verifyUrl() {
        return "http://127.0.0.1:" + site.getAddress().getPort() + "/verify";
    }

    private static String cancelledFrom(String id) {
        return jdbc.queryForObject(
                "SELECT from_status FROM gh_job_events WHERE job_id = ?::uuid" + " AND event_type = 'job_cancelled'",
                String.class,
                id);
    }

    private static List<String> events(String id) {
        return jdbc.queryForList(
                "SELECT event_type FROM gh_job_events WHERE job_id = ?::uuid ORDER BY created_at", String.class, id);
    }

    /** Every callback of the job was signed with the callback secret (here the service key). */
    private static void assertSigned(String id) {
        for (CallbackReceiver.Hit hit : receiver.hits(id)) {
            assertThat(hit.header("User-Agent")).isEqualTo("GhostHands-Callback/1.0");
            assertThat(hit.header("X-GH-Service-Key")).isEqualTo(TestStack.SERVICE_KEY);
            assertThat(hit.header("X-GH-Signature"))
                    .isEqualTo("sha256="
                            + CallbackActivitiesImpl.signature(
                                    TestStack.SERVICE_KEY.getBytes(StandardCharsets.UTF_8),
                                    hit.header("X-GH-Timestamp"),
                                    hit.body()));
        }
    }

    /** After a quiet while, the job's callbacks are exactly these: one {@code cancelled}, last. */
    private static void assertExactlyOne(String id, List<String> statuses) throws InterruptedException {
        Thread.sleep(QUIET.toMillis());
        assertThat(receiver.statuses(id))
                .as("callbacks of %s; events %s", id, events(id))
                .containsExactlyElementsOf(statuses);
        assertThat(receiver.count(id, "cancelled")).isOne();
    }
}
