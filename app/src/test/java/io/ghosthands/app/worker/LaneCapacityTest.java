package io.ghosthands.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A worker claims a job only for a free browser lane: with 2 lanes it never has more than 2 jobs
 * {@code running} in the mirror, however many are queued, so no job waits claimed-but-idle (to be
 * retried as {@code worker_lost}), and a second worker that comes up takes the waiting jobs instead
 * of sitting idle beside a full one.
 */
class LaneCapacityTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private static TestStack stack;
    private static TestPages pages;
    private static JdbcTemplate jdbc;
    private static BrowserSettings browser;

    @BeforeAll
    static void start() {
        stack = TestStack.start("lanes", GhostHands.Roles.API, Map.of());
        pages = new TestPages();
        jdbc = new JdbcTemplate(stack.dataSource());
        browser = BrowserSettings.resolve(null, true).withExtraArgs(List.of(TestStack.LOOPBACK_ONLY));
    }

    @AfterAll
    static void stop() {
        pages.close();
        stack.close();
    }

    private static WorkerRuntime worker(int lanes) {
        return WorkerRuntime.start(
                new WorkerSettings(
                                WorkerSettings.idFor(null),
                                false,
                                lanes,
                                0,
                                browser,
                                () -> stack.api().baseUrl(),
                                TestStack.SERVICE_KEY)
                        .withOutbound(stack.outboundPolicy()),
                stack.temporalClient(),
                stack.dataSource());
    }

    private static String create(String path) {
        ApiClient.Answer answer = stack.api()
                .post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url(path) + "\",\"max_retries\":2}");
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    @Test
    void aWorkerRunsNoMoreJobsThanItHasLanesAndASecondWorkerTakesTheRest() throws Exception {
        WorkerRuntime first = worker(2);
        WorkerRuntime second = null;
        Map<String, Integer> mostRunning = new ConcurrentHashMap<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        // samples the mirror as VALET would read it: jobs running, per worker
        Thread sampler = new Thread(
                () -> {
                    while (sampling.get()) {
                        for (Map<String, Object> row :
                                jdbc.queryForList("SELECT worker_id, count(*) AS n FROM gh_automation_jobs"
                                        + " WHERE status = 'running' GROUP BY worker_id")) {
                            mostRunning.merge(
                                    (String) row.get("worker_id"), ((Number) row.get("n")).intValue(), Math::max);
                        }
                        try {
                            Thread.sleep(25);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "running-sampler");
        sampler.start();
        try {
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                jobs.add(create("/delayed?ms=4000"));
            }
            // the first worker's two lanes fill; the other six wait queued, not claimed
            long until = System.nanoTime() + WAIT.toNanos();
            while (running(first) < 2 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(running(first)).isEqualTo(2);
            Thread.sleep(1500);
            assertThat(running(first))
                    .as("jobs running on a worker with 2 lanes")
                    .isEqualTo(2);
            assertThat(queued()).as("jobs still waiting for a lane, unclaimed").isGreaterThanOrEqualTo(5);

            // a second worker comes up: it takes waiting jobs at once, beside the full first one
            second = worker(2);
            String secondId = second.workerId();
            until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mostRunning.getOrDefault(secondId, 0) == 0 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(mostRunning.getOrDefault(secondId, 0))
                    .as("jobs the second worker took")
                    .isPositive();

            Map<String, Integer> ranOn = new HashMap<>();
            for (String id : jobs) {
                JsonNode job = stack.api().awaitJob(id, ApiClient::terminal, WAIT);
                assertThat(job.path("status").asString()).as("job %s", job).isEqualTo("completed");
                assertThat(job.path("retry_count").asInt())
                        .as("job %s was retried", job)
                        .isZero();
                ranOn.merge(job.path("worker_id").asString(), 1, Integer::sum);
            }
            sampling.set(false);
            sampler.join();
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM gh_job_events WHERE event_type = 'job_retried'"
                                    + " AND job_id = ANY(?::uuid[])",
                            Long.class,
                            (Object) jobs.toArray(String[]::new)))
                    .as("retries (worker_lost or else)")
                    .isZero();
            assertThat(mostRunning.get(first.workerId()))
                    .as("most jobs running at once on the first worker")
                    .isEqualTo(2);
            assertThat(mostRunning.get(secondId))
                    .as("most jobs running at once on the second worker")
                    .isBetween(1, 2);
            assertThat(ranOn.keySet()).containsExactlyInAnyOrder(first.workerId(), secondId);
            // every lane is free again once the jobs ended (at the latest when the finish hold runs out)
            until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (((Number) first.status().get("lanes_held")).intValue()
                                    + ((Number) second.status().get("lanes_held")).intValue()
                            > 0
                    && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(first.status().get("lanes_held")).isEqualTo(0);
            assertThat(second.status().get("lanes_held")).isEqualTo(0);
        } finally {
            sampling.set(false);
            sampler.interrupt();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private static int running(WorkerRuntime worker) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM gh_automation_jobs WHERE status = 'running' AND worker_id = ?",
                Integer.class,
                worker.workerId());
    }

    private static int queued() {
        return jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs WHERE status = 'queued'", Integer.class);
    }
}
