package io.ghosthands.bench;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Create → running latency on the dev stack (API and one worker with two browser lanes, local
 * PostgreSQL) for a trivial loopback page, on the embedded and on a real Temporal dev server side by
 * side ({@link BenchTemporal}).
 *
 * <p>Latency is {@code started_at - created_at} of the job's row: both stamped by PostgreSQL, the
 * first when the API inserts the row, the second when the worker's claim marks it running, so the
 * client's polling does not enter the number. Two runs: one job at a time (each waits for the
 * previous to finish), then all jobs at once.
 */
public final class CreateToRunningBench {

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> results = new ArrayList<>();
        for (String target : BenchTemporal.targets()) {
            results.add(measure(target, jobs));
        }
        System.out.println();
        results.forEach(System.out::println);
        System.exit(0);
    }

    private static String measure(String target, int jobs) throws Exception {
        try (TestStack stack = BenchTemporal.start(target, "bench-" + target);
                TestPages pages = new TestPages()) {
            ApiClient api = stack.api();
            JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
            String body = "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/blank")
                    + "\",\"task_description\":\"bench\"}";

            sequential(api, body, 20); // warm-up: JIT, connection pools, browser contexts
            List<String> one = sequential(api, body, jobs);
            List<String> burst = new ArrayList<>();
            long[] createMs = new long[jobs];
            for (int i = 0; i < jobs; i++) {
                long t0 = System.nanoTime();
                burst.add(create(api, body));
                createMs[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            for (String id : burst) {
                api.awaitJob(id, ApiClient::terminal, Duration.ofMinutes(5));
            }

            Arrays.sort(createMs);
            String result = "create -> running (ms), " + jobs + " jobs, trivial loopback page, "
                    + BenchTemporal.describe(target) + "\n"
                    + report("one at a time", latencies(jdbc, one)) + "\n"
                    + report("all at once  ", latencies(jdbc, burst)) + "\n"
                    + String.format(
                            "  POST /jobs round trip during the burst: p50 %d ms, p99 %d ms%n",
                            createMs[jobs / 2], createMs[(int) Math.ceil(jobs * 0.99) - 1]);
            System.out.println(result);
            return result;
        }
    }

    private static List<String> sequential(ApiClient api, String body, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = create(api, body);
            api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60));
            ids.add(id);
        }
        return ids;
    }

    private static String create(ApiClient api, String body) {
        ApiClient.Answer answer = api.post("/api/v1/gh/jobs", body);
        if (answer.status() != 201) {
            throw new IllegalStateException("create failed: " + answer.status() + " " + answer.json());
        }
        return answer.json().path("id").asString();
    }

    private static double[] latencies(JdbcTemplate jdbc, List<String> ids) {
        double[] ms = new double[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            Double value = jdbc.queryForObject(
                    "SELECT extract(epoch FROM started_at - created_at) * 1000 FROM gh_automation_jobs WHERE id = ?",
                    Double.class,
                    UUID.fromString(ids.get(i)));
            ms[i] = value == null ? Double.NaN : value;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static String report(String label, double[] sorted) {
        return String.format(
                "  %s  p50 %6.1f   p90 %6.1f   p99 %6.1f   max %6.1f",
                label, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }
}
