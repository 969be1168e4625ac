package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.ApiTestBase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input never gets a 5xx and never leaves a row behind: a seeded sweep of generated malformed
 * requests over every route, and concurrent duplicates of one idempotency key.
 */
class BadInputSweepTest extends ApiTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final List<String> JOB_FIELDS = List.of(
            "job_type",
            "target_url",
            "task_description",
            "input_data",
            "priority",
            "scheduled_at",
            "max_retries",
            "timeout_seconds",
            "tags",
            "idempotency_key",
            "metadata",
            "callback_url",
            "user_id",
            "target_worker_id",
            "worker_affinity");

    private static final List<String> APPLY_FIELDS = List.of(
            "valet_task_id",
            "valet_user_id",
            "target_url",
            "platform",
            "resume",
            "profile",
            "qa_answers",
            "callback_url",
            "quality",
            "priority",
            "timeout_seconds",
            "idempotency_key",
            "metadata",
            "target_worker_id",
            "worker_affinity",
            "model",
            "image_model",
            "execution_mode");

    private ObjectNode validJob(String sweep) {
        ObjectNode job = F.objectNode();
        job.put("job_type", "scrape");
        job.put("target_url", "http://127.0.0.1:9/never-run");
        job.put("task_description", "sweep");
        job.put("target_worker_id", sweep); // nobody serves it: jobs that turn out valid just wait
        return job;
    }

    private JsonNode junk(Random r) {
        switch (r.nextInt(14)) {
            case 0:
                return F.nullNode();
            case 1:
                return F.numberNode(r.nextInt());
            case 2:
                return F.numberNode(r.nextDouble() * 1e12);
            case 3:
                return F.booleanNode(r.nextBoolean());
            case 4:
                return F.stringNode("");
            case 5:
                return F.stringNode("x".repeat(1 + r.nextInt(100_000)));
            case 6:
                return F.stringNode("ü💥\u0000\u202e" + "日本語".repeat(r.nextInt(500)));
            case 7:
                return F.arrayNode().add(1).add("a").add(F.objectNode());
            case 8:
                return F.objectNode().put("nested", "x".repeat(r.nextInt(1000)));
            case 9:
                return F.stringNode("not-a-uuid-" + r.nextInt());
            case 10:
                return F.stringNode("javascript:alert(" + r.nextInt() + ")");
            case 11:
                return F.numberNode(-r.nextInt(1000));
            case 12: {
                ArrayNode many = F.arrayNode();
                for (int i = 0; i < 30; i++) {
                    many.add("t" + i);
                }
                return many;
            }
            default:
                return F.stringNode("2026-13-45T99:99:99Z");
        }
    }

    private String mutate(ObjectNode base, List<String> fields, Random r) {
        ObjectNode body = base.deepCopy();
        int changes = 1 + r.nextInt(3);
        for (int i = 0; i < changes; i++) {
            String field = fields.get(r.nextInt(fields.size()));
            if (r.nextInt(6) == 0) {
                body.remove(field);
            } else {
                body.set(field, junk(r));
            }
        }
        String text = body.toString();
        switch (r.nextInt(12)) {
            case 0:
                return text.substring(0, r.nextInt(text.length())); // truncated
            case 1:
                return "[" + text + "]";
            case 2:
                return text.replace("\"", "'");
            case 3:
                return "";
            default:
                return text;
        }
    }

    @Test
    void aThousandMalformedRequestsGetNoServerErrorAndWriteNoStrayRow() throws Exception {
        Random r = new Random(20261126L);
        String sweep = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        int before = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);
        int created = 0;
        Map<Integer, Integer> byStatus = new TreeMap<>();
        String existing = api.post("/api/v1/gh/jobs", validJob(sweep).toString())
                .json()
                .path("id")
                .asString();
        created++;
        for (int i = 0; i < 1000; i++) {
            Answer answer;
            switch (i % 8) {
                case 0, 1, 2 -> answer = api.post("/api/v1/gh/jobs", mutate(validJob(sweep), JOB_FIELDS, r));
                case 3 -> {
                    ObjectNode batch = F.objectNode();
                    ArrayNode jobs = batch.putArray("jobs");
                    for (int j = 0; j < 1 + r.nextInt(3); j++) {
                        jobs.add(JSON.readTree(mutateToObject(validJob(sweep), r)));
                    }
                    answer = api.post(
                            "/api/v1/gh/jobs/batch",
                            r.nextInt(5) == 0 ? mutate(batch, List.of("jobs", "defaults"), r) : batch.toString());
                }
                case 4, 5 -> {
                    ObjectNode apply = F.objectNode();
                    apply.put("valet_task_id", "v");
                    apply.put("target_url", "http://127.0.0.1:9/x");
                    apply.set("profile", F.objectNode().put("first_name", "A"));
                    apply.put("target_worker_id", sweep);
                    answer = api.post("/api/v1/gh/valet/apply", mutate(apply, APPLY_FIELDS, r));
                }
                case 6 -> {
                    String id = List.of(
                                    "nope",
                                    "0",
                                    UUID.randomUUID().toString(),
                                    "%00",
                                    "' OR 1=1 --",
                                    existing + "x",
                                    "a".repeat(300))
                            .get(r.nextInt(7));
                    String path = List.of("", "/status", "/events?limit=" + junkParam(r), "/cancel", "/retry")
                            .get(r.nextInt(5));
                    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8);
                    answer = path.equals("/cancel") || path.equals("/retry")
                            ? api.post("/api/v1/gh/jobs/" + encoded + path, junk(r).toString())
                            : api.get("/api/v1/gh/jobs/" + encoded + path);
                }
                default ->
                    answer = api.get("/api/v1/gh/jobs?limit=" + junkParam(r) + "&offset=" + junkParam(r) + "&status="
                            + junkParam(r) + "&sort=" + junkParam(r));
            }
            byStatus.merge(answer.status(), 1, Integer::sum);
            assertThat(answer.status()).as("request %d", i).isLessThan(500);
            assertThat(answer.json()).as("request %d has a JSON body", i).isNotNull();
            if (answer.status() == 201) {
                created += answer.json().has("created")
                        ? answer.json().path("created").asInt()
                        : 1;
            } else if (answer.status() >= 400) {
                assertThat(answer.json().path("error").asString())
                        .as("request %d names its error", i)
                        .isNotEmpty();
            }
        }
        int after = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);
        assertThat(after - before)
                .as("rows written = jobs accepted (%s)", byStatus)
                .isEqualTo(created);
        assertThat(byStatus.keySet()).contains(400, 404, 422);
        jdbc.update("UPDATE gh_automation_jobs SET status = 'cancelled' WHERE target_worker_id = ?", sweep);
    }

    private String mutateToObject(ObjectNode base, Random r) {
        ObjectNode body = base.deepCopy();
        String field = JOB_FIELDS.get(r.nextInt(JOB_FIELDS.size()));
        body.set(field, junk(r));
        return body.toString();
    }

    private static String junkParam(Random r) {
        return URLEncoder.encode(
                List.of("", "-1", "0", "101", "abc", "created_at:up", "1e9", "queued,bogus", "ü", "99999999999")
                        .get(r.nextInt(10)),
                StandardCharsets.UTF_8);
    }

    @Test
    void twentyConcurrentDuplicatesMakeExactlyOneJobAndOneWorkflow() throws Exception {
        String key = "idem-" + UUID.randomUUID();
        String body = "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/x\",\"idempotency_key\":\"" + key
                + "\",\"target_worker_id\":\"nobody\"}";
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Callable<Answer> call = () -> {
                go.await();
                return api.post("/api/v1/gh/jobs", body);
            };
            answers.add(pool.submit(call));
        }
        go.countDown();
        int ok = 0;
        Set<String> ids = new HashSet<>();
        for (Future<Answer> f : answers) {
            Answer a = f.get();
            if (a.status() == 201) {
                ok++;
                ids.add(a.json().path("id").asString());
            } else {
                assertThat(a.status()).isEqualTo(409);
                assertThat(a.json().path("error").asString()).isEqualTo("duplicate_idempotency_key");
                ids.add(a.json().path("existing_job_id").asString());
            }
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(1);
        assertThat(ids).hasSize(1);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM gh_automation_jobs WHERE idempotency_key = ?", Integer.class, key))
                .isEqualTo(1);
        // the workflow starts after the answer (dispatch is asynchronous): wait for it, then count
        String dispatched = "SELECT count(*) FROM gh_job_events e JOIN gh_automation_jobs j ON j.id = e.job_id"
                + " WHERE j.idempotency_key = ? AND e.event_type = 'job_dispatched'";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbc.queryForObject(dispatched, Integer.class, key) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // a second dispatch, were there one, would have landed by now
        assertThat(jdbc.queryForObject(dispatched, Integer.class, key)).isEqualTo(1);
        api.post("/api/v1/gh/jobs/" + ids.iterator().next() + "/cancel", "");
    }
}
