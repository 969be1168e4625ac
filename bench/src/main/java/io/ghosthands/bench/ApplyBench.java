package io.ghosthands.bench;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.bench.ApplyReport.SiteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The apply engine on the project's fixture sites (served from
 * {@code activities/src/test/resources/ats}): fill accuracy — fields submitted right / fields
 * expected — and the time of a whole GhostHands apply job ({@code POST /valet/apply} → completed,
 * both stamped by PostgreSQL) next to a bare Playwright program that fills the same fields with
 * hand-written selectors and submits, in the same run on the same browser build.
 *
 * <p>The fixture server is {@link ApplyFixtureSite}, the bare programs {@link BareApplyProgram},
 * the expected values {@link ApplyExpected}, the timings and report {@link ApplyReport}.
 */
public final class ApplyBench {

    /** Runs before the measured ones, on both sides: a worker is a long-running process, measured warm. */
    static final int WARM_UP = 3;

    /**
     * Pause before every run, either side: a finished job leaves work behind (its context closing, the
     * lane's next spare context, the workflow's last task), and a run measured during it would pay for
     * the other side's. Each run starts on a machine at rest.
     */
    static final int SETTLE_MS = 1000;

    private final ApplyFixtureSite site;
    private final ApiClient api;
    private final JdbcTemplate jdbc;
    private final BareApplyProgram bareProgram;
    private final int runs;

    private ApplyBench(
            ApplyFixtureSite site, ApiClient api, JdbcTemplate jdbc, BareApplyProgram bareProgram, int runs) {
        this.site = site;
        this.api = api;
        this.jdbc = jdbc;
        this.bareProgram = bareProgram;
        this.runs = runs;
    }

    static void settle() {
        try {
            Thread.sleep(SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 5;
        Path resume = Files.createTempFile("jane-doe-resume", ".pdf");
        Files.writeString(resume, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
        ApplyFixtureSite site = new ApplyFixtureSite(resume);
        try (TestStack stack = TestStack.start("bench-apply", GhostHands.Roles.DEV, Map.of())) {
            JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
            Map<String, SiteResult> results = new LinkedHashMap<>();
            BareApplyProgram bareProgram = new BareApplyProgram(site, resume);
            ApplyBench bench = new ApplyBench(site, stack.api(), jdbc, bareProgram, runs);
            for (Map.Entry<String, Map<String, String>> expected :
                    ApplyExpected.expected().entrySet()) {
                results.put(expected.getKey(), bench.measure(expected.getKey(), expected.getValue()));
            }
            bareProgram.close();
            ApplyReport.print(runs, WARM_UP, results);
        } finally {
            site.close();
            Files.deleteIfExists(resume);
        }
        System.exit(0);
    }

    /**
     * One site: each GhostHands job is followed by a bare run of the same site, so that whatever else
     * the machine does at the time weighs on both sides alike; the first runs warm up.
     */
    private SiteResult measure(String siteName, Map<String, String> expected) throws Exception {
        double[] ms = new double[runs + WARM_UP];
        double[] bareMs = new double[runs + WARM_UP];
        int right = 0;
        int total = 0;
        String lastId = null;
        for (int i = 0; i < runs + WARM_UP; i++) {
            settle();
            lastId = runJob(siteName);
            ms[i] = jdbc.queryForObject(
                    "SELECT extract(epoch FROM completed_at - created_at) * 1000"
                            + " FROM gh_automation_jobs WHERE id = ?",
                    Double.class,
                    UUID.fromString(lastId));
            Map<String, String> sent = site.submissions().get(0);
            for (Map.Entry<String, String> e : expected.entrySet()) {
                total++;
                if (e.getValue().equals(sent.get(e.getKey()))) {
                    right++;
                } else if (i == 0) { // (warm-up runs count toward accuracy too)
                    System.out.println("  " + siteName + ": " + e.getKey() + " = " + sent.get(e.getKey())
                            + ", expected " + e.getValue());
                }
            }
            settle();
            bareMs[i] = bareProgram.run(siteName, expected);
        }
        return new SiteResult(
                Arrays.copyOfRange(ms, WARM_UP, ms.length),
                Arrays.copyOfRange(bareMs, WARM_UP, bareMs.length),
                String.format("%d/%d = %.1f %%", right, total, 100.0 * right / total),
                ApplyReport.lastJob(jdbc, lastId, siteName));
    }

    /** One GhostHands apply job on {@code siteName}, through {@code POST /valet/apply} to completed; its id. */
    private String runJob(String siteName) {
        site.clearSubmissions();
        String id = api.post("/api/v1/gh/valet/apply", ApplyExpected.applyBody(site.base(), siteName))
                .json()
                .path("job_id")
                .asString();
        var job = api.awaitJob(id, ApiClient::terminal, Duration.ofMinutes(3));
        if (!job.path("status").asString().equals("completed")) {
            throw new IllegalStateException(siteName + " job did not complete: " + job);
        }
        return id;
    }
}
