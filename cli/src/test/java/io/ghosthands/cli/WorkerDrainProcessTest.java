package io.ghosthands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code gh worker} in its own process, stopped as a service manager stops it (SIGTERM) while it
 * runs a job: the job finishes, the worker answers 503 {@code draining} meanwhile, takes no new job,
 * exits 0 and leaves its registry row offline.
 */
class WorkerDrainProcessTest {

    private static final String NAME = "drainee";

    @Test
    void sigtermDrainsTheWorkerThenItExitsCleanly() throws Exception {
        int workerPort = TestTemporal.freePort();
        try (TestStack stack = TestStack.start("drain_proc", GhostHands.Roles.API, Map.of());
                TestPages pages = new TestPages()) {
            ApiClient api = stack.api();
            JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
            Map<String, String> env = GhProcess.workerEnv(stack, "drain_proc", workerPort);
            env.put("GH_DRAIN_TIMEOUT", "30");
            GhProcess gh = GhProcess.start(env, List.of(), "worker", "--worker-id=" + NAME);
            Process worker = gh.process;

            try {
                // a job that stays in its browser step until the test lets it go, on this worker only
                String gate = "sigterm-" + UUID.randomUUID();
                String slow = create(api, pages.gateUrl(gate));
                JsonNode running =
                        api.awaitJob(slow, j -> j.path("status").asString().equals("running"), Duration.ofSeconds(90));
                assertThat(running.path("worker_id").asString()).isEqualTo(NAME);

                worker.destroy(); // SIGTERM
                ApiClient.Answer health = null;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < until) {
                    health = api.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workerPort + "/worker/health")));
                    if (health.status() == 503
                            && "draining".equals(health.json().path("status").asString())) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().path("status").asString()).isEqualTo("draining");
                // the row is written just after the state flips: give it a moment
                String row = null;
                long rowUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!"draining".equals(row) && System.nanoTime() < rowUntil) {
                    row = jdbc.queryForObject(
                            "SELECT status FROM gh_worker_registry WHERE worker_id = ?", String.class, NAME);
                    Thread.sleep(50);
                }
                assertThat(row).isEqualTo("draining");

                // new work for this worker waits: the draining worker does not take it
                String fresh = create(api, pages.url("/blank"));
                assertThat(api.get("/api/v1/gh/jobs/" + slow)
                                .json()
                                .path("status")
                                .asString())
                        .isEqualTo("running");
                pages.open(gate);

                assertThat(worker.waitFor(60, TimeUnit.SECONDS))
                        .as("worker exits after its drain")
                        .isTrue();
                assertThat(worker.exitValue())
                        .as("exit code; output:%n%s", gh.output())
                        .isZero();

                JsonNode done = api.get("/api/v1/gh/jobs/" + slow).json();
                assertThat(done.path("status").asString()).as("job %s", done).isEqualTo("completed");
                assertThat(done.path("worker_id").asString()).isEqualTo(NAME);
                assertThat(done.path("retry_count").asInt()).isZero();
                JsonNode waiting = api.get("/api/v1/gh/jobs/" + fresh).json();
                assertThat(waiting.path("status").asString()).isEqualTo("queued");
                assertThat(waiting.get("worker_id").isNull()).isTrue();
                assertThat(jdbc.queryForObject(
                                "SELECT status FROM gh_worker_registry WHERE worker_id = ?", String.class, NAME))
                        .isEqualTo("offline");
            } finally {
                if (worker.isAlive()) {
                    worker.destroyForcibly();
                }
            }
        }
    }

    private static String create(ApiClient api, String url) {
        ApiClient.Answer answer = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"scrape\",\"target_url\":\"" + url + "\",\"task_description\":\"drain\","
                        + "\"target_worker_id\":\"" + NAME + "\",\"worker_affinity\":\"strict\"}");
        assertThat(answer.status()).isEqualTo(201);
        return answer.json().path("id").asString();
    }
}
