package io.ghosthands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Three real worker processes ({@code gh worker --worker-id=adam}, {@code --worker-id=sarah} and an
 * anonymous one) against one Temporal and one PostgreSQL: 60 jobs mixed over targets and
 * affinities run only where they may, shared ones spread over the workers, a strict job for an absent
 * worker expires, a preferred one falls back to the pool; then a worker is killed with SIGKILL in the
 * middle of a job, and the job completes on another worker; and one is killed while its job waits for
 * a human, and the job restarts on a live worker and pauses there again.
 */
class WorkerFleetProcessTest {

    private static final Duration WAIT = Duration.ofMinutes(4);

    private record Spec(String target, String affinity) {}

    @Test
    void sixtyMixedJobsRunWhereTheyMayAndAKilledWorkersJobFinishesElsewhere() throws Exception {
        Map<String, Object> props = new LinkedHashMap<>();
        // a worker claims only for a free lane, so a targeted job waits for its busy worker's lanes
        // (18 jobs aimed at sarah's 2, on a shared 2-core machine): long enough for that, short enough
        // for the absent worker's jobs to expire or fall back within the test
        props.put("gh.jobs.preferred-fallback-seconds", 90);
        props.put("gh.jobs.start-deadline-seconds", 90);
        List<Process> workers = new ArrayList<>();
        try (TestStack stack = TestStack.startOnRealIfInstalled("fleet", GhostHands.Roles.API, props);
                TestPages pages = new TestPages()) {
            ApiClient api = stack.api();
            JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
            Process adam = start(stack, "adam", workers);
            Process sarah = start(stack, "sarah", workers);
            Process anonymous = start(stack, null, workers);
            awaitWorkers(jdbc, 3);
            String anonymousId = jdbc.queryForObject(
                    "SELECT worker_id FROM gh_worker_registry WHERE worker_id NOT IN ('adam','sarah') AND status <> 'offline'",
                    String.class);

            // 60 jobs, mixed over targets and affinities
            List<Spec> specs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                specs.add(new Spec(null, "preferred"));
            }
            for (int i = 0; i < 12; i++) {
                specs.add(new Spec("adam", "strict"));
            }
            for (int i = 0; i < 10; i++) {
                specs.add(new Spec("sarah", "preferred"));
            }
            for (int i = 0; i < 8; i++) {
                specs.add(new Spec("sarah", "strict"));
            }
            for (int i = 0; i < 5; i++) {
                specs.add(new Spec("adam", "any"));
            }
            for (int i = 0; i < 3; i++) {
                specs.add(new Spec("ghost", "preferred"));
            }
            for (int i = 0; i < 2; i++) {
                specs.add(new Spec("ghost", "strict"));
            }
            Collections.shuffle(specs, new Random(7));
            Map<String, Spec> jobs = new LinkedHashMap<>();
            for (Spec spec : specs) {
                jobs.put(create(api, pages.url("/job"), spec), spec);
            }
            assertThat(jobs).hasSize(60);

            int violations = 0;
            Set<String> sharedRanOn = new HashSet<>();
            for (Map.Entry<String, Spec> e : jobs.entrySet()) {
                JsonNode job = api.awaitJob(e.getKey(), ApiClient::terminal, WAIT);
                Spec spec = e.getValue();
                String status = job.path("status").asString();
                String ranOn = job.path("worker_id").asString();
                if ("ghost".equals(spec.target()) && spec.affinity().equals("strict")) {
                    assertThat(status)
                            .as("strict job for an absent worker: %s", job)
                            .isEqualTo("expired");
                    assertThat(job.path("error_code").asString()).isEqualTo("worker_unavailable");
                    continue;
                }
                assertThat(status).as("job %s (%s)", job, spec).isEqualTo("completed");
                if (spec.target() != null
                        && !spec.target().equals("ghost")
                        && !spec.affinity().equals("any")
                        && !ranOn.equals(spec.target())) {
                    violations++;
                }
                if ("ghost".equals(spec.target())) {
                    assertThat(events(jdbc, e.getKey())).contains("routing_fallback");
                }
                if (spec.target() == null || spec.affinity().equals("any")) {
                    sharedRanOn.add(ranOn);
                }
            }
            assertThat(violations).as("jobs that ran where they may not").isZero();
            assertThat(sharedRanOn)
                    .as("the shared jobs spread over the workers")
                    .hasSizeGreaterThanOrEqualTo(2)
                    .isSubsetOf(Set.of("adam", "sarah", anonymousId));

            // kill -9 the worker in the middle of an application: it completes on another worker and the
            // site receives exactly one application
            int submittedBefore = pages.submissions();
            ApiClient.Answer apply = api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"apply\",\"target_url\":\""
                            + pages.url("/slow-job?ms=6000") + "\",\"target_worker_id\":\"sarah\",\"max_retries\":2,"
                            + "\"input_data\":{\"user_data\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                            + "\"email\":\"ada@example.com\"}}}");
            assertThat(apply.status()).as("%s", apply.json()).isEqualTo(201);
            String slow = apply.json().path("id").asString();
            JsonNode running =
                    api.awaitJob(slow, j -> j.path("status").asString().equals("running"), WAIT);
            assertThat(running.path("worker_id").asString()).isEqualTo("sarah");
            Thread.sleep(500);
            sarah.destroyForcibly(); // SIGKILL: no drain, no goodbye
            long killedAt = System.nanoTime();
            assertThat(sarah.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // its step's heartbeat stops: within 30 s the job runs again on a live worker
            JsonNode rerun = api.awaitJob(
                    slow,
                    j -> j.path("retry_count").asInt() >= 1
                            && !j.path("worker_id").asString().equals("sarah")
                            && !j.path("status").asString().equals("queued"),
                    WAIT);
            Duration toRerun = Duration.ofNanos(System.nanoTime() - killedAt);
            System.out.println("kill -9 of sarah: her job runs again on "
                    + rerun.path("worker_id").asString() + " after " + toRerun.toMillis() + " ms");
            assertThat(toRerun)
                    .as("from the kill to the job running elsewhere (%s)", rerun)
                    .isLessThan(Duration.ofSeconds(30));
            JsonNode recovered = api.awaitJob(slow, ApiClient::terminal, WAIT);
            assertThat(recovered.path("status").asString()).as("%s", recovered).isEqualTo("completed");
            assertThat(recovered.path("worker_id").asString()).isIn("adam", anonymousId);
            assertThat(recovered.path("retry_count").asInt()).isEqualTo(1);
            assertThat(jdbc.queryForList(
                            "SELECT metadata->>'error_code' FROM gh_job_events WHERE job_id = ?::uuid"
                                    + " AND event_type = 'job_retried'",
                            String.class,
                            slow))
                    .containsExactly("worker_lost");
            assertThat(recovered.path("result_data").toString()).contains("ACME-7");
            assertThat(pages.submissions() - submittedBefore)
                    .as("applications the site received")
                    .isEqualTo(1);

            // a worker that dies while its job waits for a human: the resume finds no page, the job
            // restarts on a live worker from a clean page and pauses there again — never stuck. (The resume
            // step waits for the dead worker up to its 15 s schedule-to-start, or, when the dead worker's
            // last open poll took it, up to its 10 s heartbeat timeout.)
            HttpServer hitl = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            List<String> needsHuman = new CopyOnWriteArrayList<>();
            Set<String> needsHumanIds = ConcurrentHashMap.newKeySet();
            hitl.createContext(
                    "/2fa",
                    ex -> reply(
                            ex,
                            "text/html",
                            "<!doctype html><title>Verify</title><h1>Two-step"
                                    + " verification</h1><p>Enter the verification code we sent you.</p><form method=post><input name=otp"
                                    + " autocomplete=one-time-code maxlength=6><button>Verify</button></form>"));
            hitl.createContext("/cb", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                // delivery is at least once (the killed worker's callback may be retried by another
                // worker): de-duplicate by event_id, as the contract tells receivers to
                Matcher id = Pattern.compile("\"event_id\":\"([^\"]+)\"").matcher(body);
                if (body.contains("\"needs_human\"") && id.find() && needsHumanIds.add(id.group(1))) {
                    needsHuman.add(body);
                }
                reply(ex, "application/json", "{\"received\":true}");
            });
            hitl.start();
            try {
                String base = "http://127.0.0.1:" + hitl.getAddress().getPort();
                ApiClient.Answer created = api.post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"custom\",\"target_url\":\"" + base
                                + "/2fa\",\"callback_url\":\"" + base
                                + "/cb\",\"target_worker_id\":\"adam\",\"max_retries\":2,"
                                + "\"timeout_seconds\":30}");
                String paused = created.json().path("id").asString();
                JsonNode first =
                        api.awaitJob(paused, j -> j.path("status").asString().equals("paused"), WAIT);
                assertThat(first.path("worker_id").asString()).isEqualTo("adam");
                adam.destroyForcibly();
                assertThat(adam.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(api.post(
                                        "/api/v1/gh/valet/resume/" + paused,
                                        "{\"resolution_type\":\"code_entry\","
                                                + "\"resolution_data\":{\"code\":\"123456\"}}")
                                .status())
                        .isEqualTo(200);
                JsonNode again = api.awaitJob(
                        paused,
                        j -> j.path("status").asString().equals("paused")
                                && j.path("worker_id").asString().equals(anonymousId),
                        WAIT);
                assertThat(again.path("retry_count").asInt()).isEqualTo(1);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // the callback follows the row
                while (needsHuman.size() < 2 && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertThat(needsHuman).hasSize(2);
                assertThat(needsHuman.get(1)).contains("\"worker_id\":\"" + anonymousId + "\"");
                assertThat(api.post("/api/v1/gh/valet/resume/" + paused, "{\"action\":\"cancel\"}")
                                .status())
                        .isEqualTo(200);
            } finally {
                hitl.stop(0);
            }

        } finally {
            for (Process p : workers) {
                p.destroyForcibly();
            }
        }
    }

    private static void reply(HttpExchange ex, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static List<String> events(JdbcTemplate jdbc, String id) {
        return jdbc.queryForList("SELECT event_type FROM gh_job_events WHERE job_id = ?::uuid", String.class, id);
    }

    private static String create(ApiClient api, String url, Spec spec) {
        String target = spec.target() == null ? "null" : "\"" + spec.target() + "\"";
        ApiClient.Answer answer = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + url
                        + "\",\"task_description\":\"fleet\",\"max_retries\":2," + "\"target_worker_id\":" + target
                        + ",\"worker_affinity\":\"" + spec.affinity() + "\"}");
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private static void awaitWorkers(JdbcTemplate jdbc, int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            Integer live = jdbc.queryForObject(
                    "SELECT count(*) FROM gh_worker_registry WHERE status = 'active'", Integer.class);
            if (live != null && live >= n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the " + n + " worker processes did not register within 120 s");
    }

    /** {@code gh worker} as its own JVM against the test's Temporal and database. */
    private static Process start(TestStack stack, String name, List<Process> started) throws Exception {
        Map<String, String> env = GhProcess.workerEnv(stack, "fleet", TestTemporal.freePort());
        env.put("GH_RETRY_BACKOFF_SECONDS", "1");
        List<String> args = new ArrayList<>(List.of("worker", "--concurrency=2"));
        if (name != null) {
            args.add("--worker-id=" + name);
        }
        Process process = GhProcess.start(env, List.of("-Xmx512m"), args.toArray(String[]::new)).process;
        started.add(process);
        return process;
    }
}
