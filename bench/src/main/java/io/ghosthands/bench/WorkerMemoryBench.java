package io.ghosthands.bench;

import com.microsoft.playwright.BrowserContext;
import io.ghosthands.activities.browser.BrowserLanes;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a concurrent job costs a worker in memory, and what a job's browser context costs in time.
 *
 * <p>Memory: the embedded stack with one worker of concurrency 4 (in this JVM). N = 1, 2, 4 jobs at
 * once each hold a page open: they open a CAPTCHA fixture and pause for a human (the state in which
 * a page stays open longest). Measured over this JVM and every process under it (Playwright drivers
 * and Chromium): the sum of VmRSS from {@code /proc/<pid>/status}, which counts pages shared between
 * Chromium processes once per process, and the sum of Pss from {@code /proc/<pid>/smaps_rollup},
 * which splits them. Per job = (with N − idle) / N.
 *
 * <p>Time: a browser context opened with a page and closed again, on one {@link BrowserLanes} lane
 * as a job does, 50 times after 5 of warm-up.
 */
public final class WorkerMemoryBench {

    private static final String BLOCKER = "/fixtures/flaresolverr-cloudflare_captcha_norobot_v1.html";

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        List<String> report = new ArrayList<>();
        memory(report);
        contexts(iterations, report);
        System.out.println();
        report.forEach(System.out::println);
        System.out.println();
        System.exit(0);
    }

    private static void memory(List<String> report) throws Exception {
        try (TestStack stack = TestStack.start(
                        "bench_memory",
                        GhostHands.Roles.DEV,
                        // without the spare contexts: each lane's spare would be counted in the idle baseline, and a
                        // job that
                        // takes it would seem to cost almost nothing (a spare is one blank page per lane, on top)
                        Map.of("gh.worker.concurrency", 4, "gh.browser.spare-context", false));
                TestPages pages = new TestPages()) {
            ApiClient api = stack.api();
            JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
            // warm-up: every lane has opened and closed a context, the JIT has seen a job
            for (int i = 0; i < 4; i++) {
                List<String> warm = hold(api, pages, 4);
                awaitPaused(jdbc, warm);
                cancel(api, warm);
            }
            Thread.sleep(3000);
            Sample idle = sample();
            report.add(String.format(
                    "worker memory, concurrency 4, embedded stack in one JVM (%s)",
                    BrowserSettings.resolve(null, true).describe()));
            report.add(String.format(
                    "  idle: RSS %.0f MB (JVM %.0f MB, %d other processes), PSS %.0f MB",
                    idle.rssMb, idle.jvmRssMb, idle.processes - 1, idle.pssMb));
            for (int n : new int[] {1, 2, 4}) {
                List<String> held = hold(api, pages, n);
                awaitPaused(jdbc, held);
                Thread.sleep(3000); // renderers settle after the blocker page's scripts ran
                Sample with = sample();
                report.add(String.format(
                        "  %d job(s) holding a page: RSS %.0f MB (+%.0f MB, %.0f MB per job; Chromium and drivers +%.0f MB, %.0f per job),"
                                + " PSS %.0f MB (+%.0f MB, %.0f MB per job), %d processes",
                        n,
                        with.rssMb,
                        with.rssMb - idle.rssMb,
                        (with.rssMb - idle.rssMb) / n,
                        (with.rssMb - with.jvmRssMb) - (idle.rssMb - idle.jvmRssMb),
                        ((with.rssMb - with.jvmRssMb) - (idle.rssMb - idle.jvmRssMb)) / n,
                        with.pssMb,
                        with.pssMb - idle.pssMb,
                        (with.pssMb - idle.pssMb) / n,
                        with.processes));
                cancel(api, held);
                Thread.sleep(3000);
            }
            report.add("  target: <= 150 MB per concurrent job");
        }
    }

    private static List<String> hold(ApiClient api, TestPages pages, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // a callback URL makes the blocked job pause (and keep its page) instead of failing
            ApiClient.Answer answer = api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"custom\",\"target_url\":\"" + pages.url(BLOCKER)
                            + "\",\"task_description\":\"bench\"," + "\"callback_url\":\"" + pages.url("/blank")
                            + "\",\"max_retries\":0}");
            if (answer.status() != 201) {
                throw new IllegalStateException("job not created: " + answer.json());
            }
            ids.add(answer.json().path("id").asString());
        }
        return ids;
    }

    private static void awaitPaused(JdbcTemplate jdbc, List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Integer paused = jdbc.queryForObject(
                    "SELECT count(*) FROM gh_automation_jobs WHERE status = 'paused' AND id::text = ANY(?)",
                    Integer.class,
                    (Object) ids.toArray(new String[0]));
            if (paused != null && paused == ids.size()) {
                return;
            }
            List<String> ended = jdbc.queryForList(
                    "SELECT id::text || ' ' || status || ' ' || coalesce(error_code, '') FROM gh_automation_jobs"
                            + " WHERE status IN ('failed', 'completed', 'cancelled') AND id::text = ANY(?)",
                    String.class,
                    (Object) ids.toArray(new String[0]));
            if (!ended.isEmpty()) {
                throw new IllegalStateException("jobs ended instead of pausing: " + ended);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("jobs did not pause in time: " + ids);
    }

    private static void cancel(ApiClient api, List<String> ids) {
        for (String id : ids) {
            api.post("/api/v1/gh/jobs/" + id + "/cancel", "");
        }
        for (String id : ids) {
            api.awaitJob(id, ApiClient::terminal, Duration.ofMinutes(1));
        }
    }

    /** Memory of this JVM and all its descendants, in MB. */
    private record Sample(double rssMb, double jvmRssMb, double pssMb, int processes) {}

    private static Sample sample() {
        List<Long> pids = new ArrayList<>();
        pids.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
        long rss = 0;
        long pss = 0;
        int counted = 0;
        for (long pid : pids) {
            long r = kb(Path.of("/proc", String.valueOf(pid), "status"), "VmRSS:");
            if (r < 0) {
                continue; // gone meanwhile
            }
            counted++;
            rss += r;
            pss += Math.max(0, kb(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), "Pss:"));
        }
        long jvm = kb(Path.of("/proc/self/status"), "VmRSS:");
        return new Sample(rss / 1024.0, jvm / 1024.0, pss / 1024.0, counted);
    }

    private static long kb(Path file, String field) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(field))
                    .map(l -> Long.parseLong(
                            l.substring(field.length()).replace("kB", "").strip()))
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void contexts(int iterations, List<String> report) throws Exception {
        BrowserSettings settings = BrowserSettings.resolve(null, true).withExtraArgs(List.of(TestStack.LOOPBACK_ONLY));
        try (BrowserLanes lanes = new BrowserLanes(settings, 1)) {
            lanes.warmUp();
            double[] ms = new double[iterations];
            double[] newContext = new double[iterations];
            double[] newPage = new double[iterations];
            double[] close = new double[iterations];
            for (int i = -5; i < iterations; i++) {
                double[] took = lanes.submitTo(0, browser -> {
                            long t0 = System.nanoTime();
                            BrowserContext context = browser.newContext();
                            long t1 = System.nanoTime();
                            context.newPage();
                            long t2 = System.nanoTime();
                            context.close();
                            long t3 = System.nanoTime();
                            return new double[] {(t3 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
                        })
                        .future()
                        .get();
                if (i >= 0) {
                    ms[i] = took[0];
                    newContext[i] = took[1];
                    newPage[i] = took[2];
                    close[i] = took[3];
                }
            }
            for (double[] a : new double[][] {ms, newContext, newPage, close}) {
                Arrays.sort(a);
            }
            report.add(String.format(
                    "browser context + page open and close, one lane, %d iterations: median %.0f ms, p95 %.0f ms, max %.0f ms"
                            + " (target <= 300 ms); medians of the parts: newContext %.0f ms, newPage %.0f ms, close %.0f ms",
                    iterations,
                    ms[iterations / 2],
                    ms[(int) Math.ceil(iterations * 0.95) - 1],
                    ms[iterations - 1],
                    newContext[iterations / 2],
                    newPage[iterations / 2],
                    close[iterations / 2]));

            jobContexts(lanes, iterations, report);
        }
    }

    /**
     * What a job waits for: the lane's spare context (made while the lane was idle) taken, and closed
     * at the job's end, which queues the next spare; jobs are some time apart on a lane.
     */
    private static void jobContexts(BrowserLanes lanes, int iterations, List<String> report) throws Exception {
        double[] job = new double[iterations];
        for (int i = -5; i < iterations; i++) {
            double took = lanes.submitTo(0, browser -> {
                        long t0 = System.nanoTime();
                        BrowserLanes.Fresh fresh = lanes.freshContext(0, browser);
                        fresh.context().close();
                        lanes.refillSpare(0);
                        return (System.nanoTime() - t0) / 1e6;
                    })
                    .future()
                    .get();
            if (i >= 0) {
                job[i] = took;
            }
            Thread.sleep(500);
        }
        Arrays.sort(job);
        report.add(String.format(
                "a job's context open + close as the job sees it (the lane's spare, made while idle): median %.0f ms,"
                        + " p95 %.0f ms, max %.0f ms",
                job[iterations / 2], job[(int) Math.ceil(iterations * 0.95) - 1], job[iterations - 1]));
    }
}
