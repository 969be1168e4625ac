package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.RealTemporal;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.workflows.JobSearchAttributes;
import io.ghosthands.workflows.JobWorkflowImpl;
import io.ghosthands.workflows.WorkflowIds;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * GhostHands on a real Temporal server ({@code temporal server start-dev} with a SQLite file) that
 * is killed with {@code SIGKILL} at the worst moments and started again on the same file: a job
 * paused for a human, a job waiting for its {@code scheduled_at}, and a job whose final submit is in
 * flight all go on, each submitted exactly once, and the PostgreSQL mirror agrees with Temporal.
 * Also human in the loop end to end and the search attributes, which only a real server can query.
 */
class RealTemporalDurabilityTest {

    private static final String NAMESPACE = "durable";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static RealTemporal temporal;
    private static TestStack stack;
    private static ApiClient api;
    private static JdbcTemplate jdbc;
    private static CallbackReceiver receiver;
    private static HttpServer site;
    /** Every application POSTed to the site, as its decoded form body (with the path first). */
    private static final List<String> submissions = new CopyOnWriteArrayList<>();
    /** Released by the test to let an in-flight submit answer. */
    private static volatile CountDownLatch submitGate = new CountDownLatch(0);

    private static volatile CountDownLatch submitArrived = new CountDownLatch(1);

    @BeforeAll
    static void start() throws IOException {
        temporal = RealTemporal.start(NAMESPACE);
        stack = TestStack.startOn(
                temporal.address(),
                NAMESPACE,
                GhostHands.Roles.DEV,
                Map.of("gh.callbacks.max-interval", "2s", "gh.callbacks.key-hosts", "127.0.0.1"));
        api = stack.api();
        jdbc = new JdbcTemplate(stack.dataSource());
        receiver = new CallbackReceiver(id -> "; events " + events(id) + "; temporal log: " + temporal.logTail());
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        // an application form with a required question no profile answers: the job pauses for a human
        site.createContext("/screening", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                submissions.add("/screening "
                        + URLDecoder.decode(
                                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                                StandardCharsets.UTF_8));
                thanks(ex);
                return;
            }
            send(
                    ex,
                    "<!doctype html><html><head><title>Apply: Analyst</title></head><body><h1>Analyst</h1>"
                            + "<form method='post' action='/screening'><label for='fn'>First name</label><input id='fn' name='first_name' required>"
                            + "<label for='em'>Email</label><input id='em' type='email' name='email' required>"
                            + "<label for='q1'>Which of our products have you used? *</label><textarea id='q1' name='q1' required></textarea>"
                            + "<button type='submit'>Submit application</button></form></body></html>");
        });
        // a form whose submit answers only when the test lets it (the server is killed meanwhile)
        site.createContext("/slow-submit", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                submissions.add("/slow-submit "
                        + URLDecoder.decode(
                                new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                                StandardCharsets.UTF_8));
                submitArrived.countDown();
                try {
                    submitGate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                thanks(ex);
                return;
            }
            send(
                    ex,
                    "<!doctype html><html><head><title>Apply: Designer</title></head><body><h1>Designer</h1>"
                            + "<form method='post' action='/slow-submit'><label for='fn'>First name</label><input id='fn' name='first_name' required>"
                            + "<label for='em'>Email</label><input id='em' type='email' name='email' required>"
                            + "<button type='submit'>Submit application</button></form></body></html>");
        });
        site.createContext(
                "/blank",
                ex -> send(
                        ex,
                        "<!doctype html><html><head><title>Later</title></head><body>"
                                + "<h1>Scheduled</h1></body></html>"));
        site.setExecutor(Executors.newCachedThreadPool());
        site.start();
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.stop(0);
        }
        if (receiver != null) {
            receiver.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (temporal != null) {
            temporal.close();
        }
    }

    @Test
    void aPausedJobSurvivesAKilledServerIsFoundByItsSearchAttributesAndResumesOnce() throws Exception {
        String id = create("{\"job_type\":\"apply\",\"target_url\":\"" + url("/screening") + "\",\"callback_url\":\""
                + receiver.url("/cb") + "\",\"valet_task_id\":\"task-" + UUID.randomUUID()
                + "\",\"input_data\":{\"user_data\":"
                + "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.com\"}}}");
        receiver.await(id, "needs_human", WAIT);
        String worker = stack.bean(WorkerRuntime.class).workerId();

        // the UI's and the CLI's filters: only a real server answers ListWorkflowExecutions
        WorkflowClient client = stack.temporalClient();
        String workflowId = WorkflowIds.forJob(UUID.fromString(id));
        List<String> paused = eventually(
                () -> ids(client, "GhStatus='paused' AND GhWorkerId='" + worker + "'"),
                found -> found.contains(workflowId));
        assertThat(paused).contains(workflowId);
        WorkflowExecutionMetadata meta = client.listExecutions("WorkflowId='" + workflowId + "'")
                .findFirst()
                .orElseThrow();
        assertThat(meta.getTypedSearchAttributes().get(JobSearchAttributes.JOB_TYPE))
                .isEqualTo("apply");
        assertThat(meta.getTypedSearchAttributes().get(JobSearchAttributes.VALET_TASK_ID))
                .startsWith("task-");

        temporal.kill9();
        temporal.restart();

        Answer resumed = eventuallyOk(
                () -> api.post(
                        "/api/v1/gh/valet/resume/" + id,
                        "{\"resolution_type\":\"manual\","
                                + "\"resolution_data\":{\"answers\":{\"Which of our products have you used?\":\"The analytical engine\"}}}"));
        assertThat(resumed.status()).as("%s", resumed.json()).isEqualTo(200);
        receiver.await(id, "completed", WAIT);

        assertThat(submissions.stream().filter(s -> s.startsWith("/screening ")).toList())
                .singleElement()
                .satisfies(body ->
                        assertThat(body).contains("q1=The analytical engine").contains("first_name=Ada"));
        assertMirrorAgreesWithTemporal(client, id, "completed");
        assertThat(eventually(
                        () -> ids(client, "GhStatus='completed' AND GhJobType='apply'"), f -> f.contains(workflowId)))
                .contains(workflowId);

        // the history the real server recorded, search-attribute upserts and the crash included, replays
        WorkflowExecutionHistory history = client.fetchHistory(workflowId);
        assertThat(history.getEvents())
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
        try (TestWorkflowEnvironment replay = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                        .setDataConverter(stack.bean(DataConverter.class))
                        .build())
                .build())) {
            WorkflowReplayer.replayWorkflowExecution(history, replay, JobWorkflowImpl.class);
        }
        // -Dgh.record-histories=DIR keeps it for HistoryCompatibilityTest (payloads encrypted with the
        // test stack's key)
        String keep = System.getProperty("gh.record-histories");
        if (keep != null) {
            Files.writeString(Path.of(keep, "real-server-paused-killed-resumed-completed.json"), history.toJson(true));
        }
    }

    @Test
    void aScheduledJobWhoseServerWasDownWhenItsTimerWasDueStartsOnceAfterTheRestart() throws Exception {
        Instant at = Instant.now().plusSeconds(4);
        String id = create(
                "{\"job_type\":\"scrape\",\"target_url\":\"" + url("/blank") + "\",\"scheduled_at\":\"" + at + "\"}");
        eventually(() -> status(id), "queued"::equals);

        temporal.kill9();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), at).toMillis()) + 2000); // the timer is due while down
        temporal.restart();

        JsonNode done = api.awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(done.path("status").asString()).as("%s", done).isEqualTo("completed");
        assertThat(Instant.parse(done.path("started_at").asString())).isAfterOrEqualTo(at.minusMillis(50));
        assertThat(events(id).stream().filter("job_started"::equals).count()).isEqualTo(1);
        assertMirrorAgreesWithTemporal(stack.temporalClient(), id, "completed");
    }

    @Test
    void aJobWhoseFinalSubmitIsInFlightWhenTheServerDiesCompletesWithOneSubmission() throws Exception {
        submitGate = new CountDownLatch(1);
        submitArrived = new CountDownLatch(1);
        String id = create(
                "{\"job_type\":\"apply\",\"target_url\":\"" + url("/slow-submit") + "\",\"input_data\":{\"user_data\":"
                        + "{\"first_name\":\"Grace\",\"last_name\":\"Hopper\",\"email\":\"grace@example.com\"}}}");
        assertThat(submitArrived.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the submit reached the site")
                .isTrue();

        temporal.kill9();
        submitGate.countDown(); // the page confirms while Temporal is down: the step's result waits for it
        Thread.sleep(1500);
        temporal.restart();

        JsonNode done = api.awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(done.path("status").asString())
                .as("%s; events %s", done, events(id))
                .isEqualTo("completed");
        assertThat(submissions.stream()
                        .filter(s -> s.startsWith("/slow-submit "))
                        .toList())
                .singleElement()
                .satisfies(body -> assertThat(body).contains("first_name=Grace"));
        assertMirrorAgreesWithTemporal(stack.temporalClient(), id, "completed");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void assertMirrorAgreesWithTemporal(WorkflowClient client, String id, String status) {
        String workflowId = WorkflowIds.forJob(UUID.fromString(id));
        WorkflowExecutionStatus state = eventually(
                () -> client.newUntypedWorkflowStub(workflowId).describe().getStatus(),
                s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        assertThat(state).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        assertThat(status(id)).isEqualTo(status);
        String kept = eventually(
                () -> client.listExecutions("WorkflowId='" + workflowId + "'")
                        .findFirst()
                        .orElseThrow()
                        .getTypedSearchAttributes()
                        .get(JobSearchAttributes.STATUS),
                status::equals);
        assertThat(kept).isEqualTo(status);
    }

    private static List<String> ids(WorkflowClient client, String query) {
        return client.listExecutions(query)
                .map(m -> m.getExecution().getWorkflowId())
                .toList();
    }

    private static <T> T eventually(Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T last = null;
        RuntimeException error = null;
        while (System.nanoTime() < deadline) {
            try {
                last = read.get();
                error = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                error = e; // the server is coming back
            }
            sleep(200);
        }
        if (error != null) {
            throw error;
        }
        return last;
    }

    private static Answer eventuallyOk(Supplier<Answer> call) {
        return eventually(call, a -> a.status() == 200);
    }

    private static String status(String id) {
        return jdbc.queryForObject(
                "SELECT status FROM gh_automation_jobs WHERE id = ?", String.class, UUID.fromString(id));
    }

    private static String create(String json) {
        Answer answer = api.post("/api/v1/gh/jobs", json);
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private static List<String> events(String id) {
        return jdbc.queryForList(
                "SELECT event_type FROM gh_job_events WHERE job_id = ? ORDER BY created_at",
                String.class,
                UUID.fromString(id));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + site.getAddress().getPort() + path;
    }

    private static void thanks(HttpExchange ex) throws IOException {
        send(
                ex,
                "<!doctype html><html><head><title>Submitted</title></head><body>"
                        + "<h1>Thank you for applying!</h1><p>Your application has been received.</p></body></html>");
    }

    private static void send(HttpExchange ex, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
