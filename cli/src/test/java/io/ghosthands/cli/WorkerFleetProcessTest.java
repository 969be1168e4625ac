package io.ghosthands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Three real worker processes ({@code gh worker --worker-id=adam}, {@code --worker-id=sarah} and an
 * anonymous one) against one Temporal and one PostgreSQL: 60 jobs mixed over targets and
 * affinities run only where they may, shared ones spread over the workers, a strict job for an absent
 * worker expires, and a preferred one falls back to the pool.
 */
class WorkerFleetProcessTest {

  private static final Duration WAIT = Duration.ofMinutes(4);

  private record Spec(String target, String affinity) {}

  @Test
  void sixtyMixedJobsRunWhereTheyMayAndAKilledWorkersJobFinishesElsewhere() throws Exception {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("gh.jobs.preferred-fallback-seconds", 8);
    props.put("gh.jobs.start-deadline-seconds", 8);
    List<Process> workers = new ArrayList<>();
    try (TestStack stack = TestStack.start("fleet", GhostHands.Roles.API, props);
        TestPages pages = new TestPages()) {
      ApiClient api = stack.api();
      JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
      start(stack, "adam", workers);
      start(stack, "sarah", workers);
      start(stack, null, workers);
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
      java.util.Collections.shuffle(specs, new java.util.Random(7));
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
          assertThat(status).as("strict job for an absent worker: %s", job).isEqualTo("expired");
          assertThat(job.path("error_code").asString()).isEqualTo("worker_unavailable");
          continue;
        }
        assertThat(status).as("job %s (%s)", job, spec).isEqualTo("completed");
        if (spec.target() != null && !spec.target().equals("ghost") && !spec.affinity().equals("any")
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
      assertThat(sharedRanOn).as("the shared jobs spread over the workers").hasSizeGreaterThanOrEqualTo(2)
          .isSubsetOf(Set.of("adam", "sarah", anonymousId));

    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
      }
    }
  }

  private static List<String> events(JdbcTemplate jdbc, String id) {
    return jdbc.queryForList("SELECT event_type FROM gh_job_events WHERE job_id = ?::uuid", String.class, id);
  }

  private static String create(ApiClient api, String url, Spec spec) {
    String target = spec.target() == null ? "null" : "\"" + spec.target() + "\"";
    ApiClient.Answer answer = api.post("/api/v1/gh/jobs",
        "{\"job_type\":\"custom\",\"target_url\":\"" + url + "\",\"task_description\":\"fleet\",\"max_retries\":2,"
            + "\"target_worker_id\":" + target + ",\"worker_affinity\":\"" + spec.affinity() + "\"}");
    assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
    return answer.json().path("id").asString();
  }

  private static void awaitWorkers(JdbcTemplate jdbc, int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < until) {
      Integer live = jdbc.queryForObject("SELECT count(*) FROM gh_worker_registry WHERE status = 'active'", Integer.class);
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
