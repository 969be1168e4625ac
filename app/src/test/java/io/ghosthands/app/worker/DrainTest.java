package io.ghosthands.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Draining a worker, with two real workers in one JVM behind one API: the drained worker's running
 * job keeps its browser and finishes, the worker takes no new job while the other one does, and its
 * port and registry row say {@code draining}. A drain that runs out of time stops the job hard
 * and its workflow requeues it for a new attempt.
 */
class DrainTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestStack stack;
    private static TestPages pages;
    private static WorkflowClient temporal;
    private static BrowserSettings browser;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        stack = TestStack.start("drain", GhostHands.Roles.API, Map.of());
        pages = new TestPages();
        temporal = stack.temporalClient();
        browser = BrowserSettings.resolve(null, true).withExtraArgs(List.of(TestStack.LOOPBACK_ONLY));
        jdbc = new JdbcTemplate(stack.dataSource());
    }

    @AfterAll
    static void stop() {
        pages.close();
        stack.close();
    }

    private static WorkerRuntime worker(Duration drainTimeout) {
        return WorkerRuntime.start(
                new WorkerSettings(
                                WorkerSettings.idFor(null),
                                false,
                                2,
                                0,
                                browser,
                                () -> stack.api().baseUrl(),
                                TestStack.SERVICE_KEY)
                        .withOutbound(stack.outboundPolicy()),
                temporal,
                stack.dataSource(),
                drainTimeout);
    }

    private String create(String path) {
        ApiClient.Answer answer = stack.api()
                .post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url(path)
                                + "\",\"task_description\":\"drain\"}");
        assertThat(answer.status()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private JsonNode completed(String id) {
        JsonNode job = stack.api().awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(job.path("status").asString()).as("job %s", job).isEqualTo("completed");
        return job;
    }

    /** A request to a worker's status port; a POST carries the service key, as an operator's would. */
    private static ApiClient.Answer port(WorkerRuntime worker, String path, boolean post) {
        return port(worker.statusPort(), path, post ? TestStack.SERVICE_KEY : null, post);
    }

    private static ApiClient.Answer port(int statusPort, String path, String key, boolean post) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + path));
        if (post) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        if (key != null) {
            request.header("X-GH-Service-Key", key);
        }
        return stack.api().send(request);
    }

    private static String registryStatus(WorkerRuntime worker) {
        return jdbc.queryForObject(
                "SELECT status FROM gh_worker_registry WHERE worker_id = ?", String.class, worker.workerId());
    }

    @Test
    void aDrainThatArrivesWhileTheWorkerIsStartingIsQueuedAndTheWorkerComesUpDrainingInsteadOfExiting()
            throws Exception {
        AtomicReference<ApiClient.Answer> early = new AtomicReference<>();
        AtomicReference<ApiClient.Answer> earlyHealth = new AtomicReference<>();
        // the status port listens, no poller has started yet: an operator's keyed drain comes in now
        WorkerRuntime starting = WorkerRuntime.start(
                new WorkerSettings(
                                WorkerSettings.idFor(null),
                                false,
                                1,
                                0,
                                browser,
                                () -> stack.api().baseUrl(),
                                TestStack.SERVICE_KEY)
                        .withOutbound(stack.outboundPolicy()),
                temporal,
                stack.dataSource(),
                Duration.ofSeconds(5),
                WorkerHost.UNKNOWN,
                statusPort -> {
                    early.set(port(statusPort, "/worker/drain", TestStack.SERVICE_KEY, true));
                    earlyHealth.set(port(statusPort, "/worker/health", null, false));
                });
        try {
            assertThat(early.get().status()).as("%s", early.get().json()).isEqualTo(202);
            assertThat(early.get().json().path("status").asString()).isEqualTo("draining");
            assertThat(early.get().json().path("starting").asBoolean()).isTrue();
            assertThat(earlyHealth.get().status()).isEqualTo(200);

            // it came up (start did not throw) and drained at once: holding nothing, claiming nothing
            WorkerRuntime.DrainOutcome outcome = starting.drain().get(30, TimeUnit.SECONDS);
            assertThat(outcome.clean()).isTrue();
            assertThat(starting.state()).isEqualTo(WorkerRuntime.State.DRAINED);
            JsonNode status = port(starting, "/worker/status", false).json();
            assertThat(status.path("status").asString()).isEqualTo("draining");
            assertThat(status.path("drained").asBoolean()).isTrue();
            assertThat(registryStatus(starting)).isEqualTo("draining");
            assertThat(port(starting, "/worker/drain", true).status())
                    .as("a later drain")
                    .isEqualTo(200);
        } finally {
            starting.close();
        }
        assertThat(registryStatus(starting)).isEqualTo("offline");
    }

    @Test
    void theStatusPortListensOnLoopbackUnlessWidened() {
        WorkerRuntime worker = worker(Duration.ofSeconds(5));
        try {
            assertThat(worker.statusAddress().isLoopbackAddress())
                    .as("%s", worker.statusAddress())
                    .isTrue();
        } finally {
            worker.close();
        }
    }

    @Test
    void aDeregisteredWorkerDrainsAtItsNextHeartbeatInsteadOfComingBack() throws Exception {
        WorkerRuntime worker = worker(Duration.ofSeconds(10));
        try {
            ApiClient.Answer answer = stack.api()
                    .post(
                            "/api/v1/gh/valet/workers/deregister",
                            "{\"target_worker_id\":\"" + worker.workerId() + "\",\"reason\":\"sandbox terminated\"}");
            assertThat(answer.status()).as("%s", answer.json()).isEqualTo(200);

            worker.heartbeat(); // what the 15-second heartbeat does

            assertThat(worker.state()).isIn(WorkerRuntime.State.DRAINING, WorkerRuntime.State.DRAINED);
            assertThat(jdbc.queryForObject(
                            "SELECT status FROM gh_worker_registry WHERE worker_id = ?",
                            String.class,
                            worker.workerId()))
                    .isEqualTo("offline");
            worker.drain().get(30, TimeUnit.SECONDS);
        } finally {
            worker.close();
        }
    }

    @Test
    void aDrainedWorkerFinishesItsRunningJobAndTakesNoNewOne() throws Exception {
        WorkerRuntime drained = worker(Duration.ofSeconds(60));
        WorkerRuntime other = null;
        try {
            // the slow job runs on the only worker there is
            String gate = "drained-" + UUID.randomUUID();
            String slow = create("/gate?name=" + gate);
            JsonNode running =
                    stack.api().awaitJob(slow, j -> j.path("status").asString().equals("running"), WAIT);
            assertThat(running.path("worker_id").asString()).isEqualTo(drained.workerId());
            other = worker(Duration.ofSeconds(5));

            // without the key, or with a wrong one, nothing happens
            ApiClient.Answer anonymous = port(drained.statusPort(), "/worker/drain", null, true);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.json().path("error").asString()).isEqualTo("unauthorized");
            assertThat(port(drained.statusPort(), "/worker/drain", "wrong-key", true)
                            .status())
                    .isEqualTo(401);
            assertThat(drained.state()).isEqualTo(WorkerRuntime.State.ACTIVE);
            assertThat(port(drained, "/worker/health", false)
                            .json()
                            .path("status")
                            .asString())
                    .isNotEqualTo("draining");

            ApiClient.Answer drain = port(drained, "/worker/drain", true);
            assertThat(drain.status()).isEqualTo(202);
            assertThat(drain.json().path("worker_id").asString()).isEqualTo(drained.workerId());
            assertThat(drain.json().path("status").asString()).isEqualTo("draining");
            assertThat(drain.json().path("active_jobs").asInt()).isEqualTo(1);
            assertThat(port(drained, "/worker/drain", true).status())
                    .as("a second drain request")
                    .isEqualTo(200);
            assertThat(port(drained, "/worker/drain", false).status()).isEqualTo(405);

            ApiClient.Answer health = port(drained, "/worker/health", false);
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asString()).isEqualTo("draining");
            assertThat(port(drained, "/worker/status", false)
                            .json()
                            .path("status")
                            .asString())
                    .isEqualTo("draining");
            assertThat(registryStatus(drained)).isEqualTo("draining");
            JsonNode fleet = stack.api()
                    .send(HttpRequest.newBuilder(URI.create(stack.api().baseUrl() + "/monitoring/workers")))
                    .json();
            for (JsonNode w : fleet.path("workers")) {
                if (w.path("worker_id").asString().equals(drained.workerId())) {
                    assertThat(w.path("status").asString()).isEqualTo("draining");
                }
            }

            // new work goes to the other worker only, while the slow job is still in its browser step
            for (int i = 0; i < 3; i++) {
                String fresh = create("/blank");
                assertThat(completed(fresh).path("worker_id").asString()).isEqualTo(other.workerId());
            }
            assertThat(stack.api()
                            .get("/api/v1/gh/jobs/" + slow)
                            .json()
                            .path("status")
                            .asString())
                    .isEqualTo("running");

            // the slow job's browser step finished where it ran
            pages.open(gate);
            JsonNode done = completed(slow);
            assertThat(done.path("worker_id").asString()).isEqualTo(drained.workerId());
            assertThat(done.path("retry_count").asInt()).isZero();
            assertThat(done.path("result_data").path("page_title").asString()).isEqualTo("Gate " + gate);
            WorkerRuntime.DrainOutcome outcome = drained.drain().get(30, TimeUnit.SECONDS);
            assertThat(outcome.clean()).isTrue();

            // drained: up, polling nothing, still saying so
            JsonNode status = port(drained, "/worker/status", false).json();
            assertThat(status.path("status").asString()).isEqualTo("draining");
            assertThat(status.path("drained").asBoolean()).isTrue();
            assertThat(status.path("active_jobs").asInt()).isZero();
            assertThat(drained.state()).isEqualTo(WorkerRuntime.State.DRAINED);
            assertThat(registryStatus(drained)).isEqualTo("draining");
            String after = create("/blank");
            assertThat(completed(after).path("worker_id").asString()).isEqualTo(other.workerId());

            drained.close();
            assertThat(registryStatus(drained)).isEqualTo("offline");
        } finally {
            drained.close();
            if (other != null) {
                other.close();
            }
        }
    }

    @Test
    void aDrainThatRunsOutOfTimeStopsTheJobAndItIsRetriedElsewhere() throws Exception {
        WorkerRuntime stopping = worker(Duration.ofSeconds(2));
        WorkerRuntime other = null;
        try {
            // its first attempt hangs until stopped, however long the other worker takes to start
            String slow = create("/stalls-once?job=" + UUID.randomUUID());
            JsonNode running =
                    stack.api().awaitJob(slow, j -> j.path("status").asString().equals("running"), WAIT);
            assertThat(running.path("worker_id").asString()).isEqualTo(stopping.workerId());
            other = worker(Duration.ofSeconds(5));
            Thread.sleep(500); // the browser step is under way
            assertThat(stack.api()
                            .get("/api/v1/gh/jobs/" + slow)
                            .json()
                            .path("status")
                            .asString())
                    .isEqualTo("running");

            long t0 = System.nanoTime();
            WorkerRuntime.DrainOutcome outcome = stopping.drain().get(30, TimeUnit.SECONDS);
            assertThat(outcome.clean()).isFalse();
            assertThat(outcome.stoppedJobs()).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));

            // its browser is gone and the job is requeued for a new attempt from a clean page, which
            // the other worker runs to the end (this one never takes it)
            JsonNode requeued =
                    stack.api().awaitJob(slow, j -> j.path("retry_count").asInt() >= 1, WAIT);
            assertThat(requeued.path("status").asString()).isIn("queued", "running", "completed");
            assertThat(requeued.path("worker_id").asString()).isNotEqualTo(stopping.workerId());
            assertThat(jdbc.queryForList(
                            "SELECT event_type FROM gh_job_events WHERE job_id = ?::uuid", String.class, slow))
                    .contains("job_retried");
            assertThat(stopping.state()).isEqualTo(WorkerRuntime.State.DRAINED);
            JsonNode done = completed(slow);
            assertThat(done.path("worker_id").asString()).isEqualTo(other.workerId());
            assertThat(done.path("retry_count").asInt()).isEqualTo(1);
            assertThat(done.path("result_data").path("page_title").asString()).isEqualTo("Stalled once");
        } finally {
            stopping.close();
            if (other != null) {
                other.close();
            }
        }
    }
}
