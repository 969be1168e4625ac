package io.ghosthands.bench;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestStack;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Job creation throughput: 16 concurrent clients POST /api/v1/gh/jobs against the API (each job
 * written, its workflow started on Temporal, marked queued), next to 16 threads doing a bare JDBC
 * insert of the same rows into the same table, in the same run. Jobs target a worker that does not
 * exist, so they are accepted and dispatched but no browser runs.
 */
public final class CreateThroughputBench {

  static final int CLIENTS = 16;

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    try (TestStack stack = TestStack.start("throughput", GhostHands.Roles.API, Map.of("gh.db-pool", 20,
        "spring.datasource.hikari.maximum-pool-size", 24, "server.tomcat.threads.max", 64))) {
      ApiClient api = stack.api();
      String body = "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/bench\","
          + "\"task_description\":\"throughput\",\"target_worker_id\":\"bench-sink\"}";

      JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
      run(jobs / 5, () -> timeCreate(api, body)); // warm-up
      awaitDispatched(jdbc);
      long t0 = System.nanoTime();
      long[] latencies = run(jobs, () -> timeCreate(api, body));
      double acceptSeconds = (System.nanoTime() - t0) / 1e9;
      awaitDispatched(jdbc);
      double apiSeconds = (System.nanoTime() - t0) / 1e9;

      DataSource ds = stack.bean(DataSource.class); // the API's own connection pool
      run(jobs / 5, () -> timeInsert(ds));
      long t1 = System.nanoTime();
      run(jobs, () -> timeInsert(ds));
      double jdbcSeconds = (System.nanoTime() - t1) / 1e9;

      Long queued = jdbc.queryForObject(
          "SELECT count(*) FROM gh_automation_jobs WHERE status = 'queued' AND created_by = 'api'", Long.class);
      Arrays.sort(latencies);
      double apiRate = jobs / apiSeconds;
      double jdbcRate = jobs / jdbcSeconds;
      System.out.println();
      System.out.printf("create throughput, %d concurrent clients, %d jobs each run%n", CLIENTS, jobs);
      System.out.printf("  POST /jobs accepted (durably written):           %7.0f jobs/s   p50 %5.1f ms   p99 %5.1f ms%n",
          jobs / acceptSeconds, latencies[jobs / 2] / 1e6, latencies[(int) Math.ceil(jobs * 0.99) - 1] / 1e6);
      System.out.printf("  accepted and dispatched (workflow started, row queued): %7.0f jobs/s%n", apiRate);
      System.out.printf("  bare JDBC INSERT of the same row:                 %7.0f rows/s%n", jdbcRate);
      System.out.printf("  ratio API / JDBC: %.2f   (queued after the run: %d of %d)%n", apiRate / jdbcRate, queued,
          jobs + jobs / 5);
      System.out.println();
    }
    System.exit(0);
  }

  /** Waits until no API-created job is still pending (every workflow started). */
  private static void awaitDispatched(JdbcTemplate jdbc) throws InterruptedException {
    while (jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs WHERE status = 'pending' AND created_by = 'api'",
        Long.class) > 0) {
      Thread.sleep(20);
    }
  }

  private static long timeCreate(ApiClient api, String body) {
    long t = System.nanoTime();
    ApiClient.Answer a = api.post("/api/v1/gh/jobs", body);
    if (a.status() != 201) {
      throw new IllegalStateException("create failed: " + a.status() + " " + a.json());
    }
    return System.nanoTime() - t;
  }

  private static long timeInsert(DataSource ds) {
    long t = System.nanoTime();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO gh_automation_jobs (id, job_type, target_url, task_description, target_worker_id, created_by)"
                + " VALUES (?, 'scrape', 'http://127.0.0.1:9/bench', 'throughput', 'bench-sink', 'jdbc')")) {
      ps.setObject(1, UUID.randomUUID());
      ps.executeUpdate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return System.nanoTime() - t;
  }

  /** Runs {@code n} calls over {@link #CLIENTS} threads; returns each call's nanoseconds. */
  private static long[] run(int n, Callable<Long> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Long>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(call));
      }
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = futures.get(i).get();
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }
}
