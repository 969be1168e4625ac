package io.ghosthands.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/** The apply bench's timings and report: the runs, the last job's timeline and its trace. */
final class ApplyReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApplyReport() {}

    /** One site's measurements: GhostHands and bare runs after the warm-up, accuracy, the last job's timeline. */
    record SiteResult(double[] gh, double[] bare, String accuracy, String timeline) {}

    /** Prints the summary of every site, in the order measured. */
    static void print(int runs, int warmUp, Map<String, SiteResult> results) {
        System.out.println();
        System.out.println("apply on the fixture sites, " + runs + " runs each (after " + warmUp + " warm-up runs)");
        for (Map.Entry<String, SiteResult> r : results.entrySet()) {
            double[] sorted = r.getValue().gh().clone();
            Arrays.sort(sorted);
            System.out.printf(
                    "  %-10s accuracy %s   GhostHands job create->completed median %.0f ms   (runs: %s)%n",
                    r.getKey(),
                    r.getValue().accuracy(),
                    sorted[sorted.length / 2],
                    rounded(r.getValue().gh()));
        }
        for (Map.Entry<String, SiteResult> t : results.entrySet()) {
            System.out.println("  where the last " + t.getKey() + " job spent its time (ms after created_at):");
            System.out.print(t.getValue().timeline());
        }
        double ghSum = 0;
        double bareSum = 0;
        for (Map.Entry<String, SiteResult> r : results.entrySet()) {
            double ghMedian = median(r.getValue().gh());
            double bareMedian = median(r.getValue().bare());
            ghSum += ghMedian;
            bareSum += bareMedian;
            System.out.printf(
                    "  %s: bare Playwright fill+submit median %.0f ms (runs: %s); ratio GhostHands/bare %.2f%n",
                    r.getKey(), bareMedian, rounded(r.getValue().bare()), ghMedian / bareMedian);
        }
        System.out.printf(
                "  overall: GhostHands medians summed %.0f ms, bare medians summed %.0f ms; ratio GhostHands/bare %.2f%n",
                ghSum, bareSum, ghSum / bareSum);
        System.out.println();
    }

    /** Where the job spent its time: its events and stamps, then its trace's first and last page call. */
    static String lastJob(JdbcTemplate jdbc, String id, String site) throws IOException {
        Path zip = keepTrace(jdbc, id, site);
        return timeline(jdbc, id) + traceSpan(jdbc, id, zip);
    }

    /** Writes the job's Playwright trace to target/apply-SITE-trace.zip (open it with playwright show-trace). */
    private static Path keepTrace(JdbcTemplate jdbc, String id, String site) throws IOException {
        List<byte[]> zips = jdbc.query(
                "SELECT content FROM gh_job_artifacts WHERE job_id = ? AND kind = 'trace'",
                (rs, n) -> rs.getBytes(1),
                UUID.fromString(id));
        if (zips.isEmpty()) {
            return null;
        }
        Path out = Path.of("target", "apply-" + site + "-trace.zip");
        Files.createDirectories(out.getParent());
        Files.write(out, zips.get(0));
        return out;
    }

    /**
     * When the trace's first Playwright call began and its last one ended, in ms after the job's
     * created_at: what lies outside is the job's start (claim, context, résumé) and its end (trace,
     * context close, result through the workflow).
     */
    private static String traceSpan(JdbcTemplate jdbc, String id, Path zip) throws IOException {
        if (zip == null) {
            return "";
        }
        double wall = Double.NaN;
        double mono = Double.NaN;
        double first = Double.MAX_VALUE;
        double last = 0;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry e = z.getEntry("trace.trace");
            if (e == null) {
                return "";
            }
            try (var lines = new BufferedReader(new InputStreamReader(z.getInputStream(e), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    var ev = JSON.readTree(line);
                    switch (ev.path("type").asString()) {
                        case "context-options" -> {
                            wall = ev.path("wallTime").asDouble();
                            mono = ev.path("monotonicTime").asDouble();
                        }
                        case "before" ->
                            first = Math.min(first, ev.path("startTime").asDouble());
                        case "after" -> last = Math.max(last, ev.path("endTime").asDouble());
                        default -> {}
                    }
                }
            }
        }
        if (Double.isNaN(wall) || last == 0) {
            return "";
        }
        double created = jdbc.queryForObject(
                "SELECT extract(epoch FROM created_at) * 1000 FROM gh_automation_jobs WHERE id = ?",
                Double.class,
                UUID.fromString(id));
        return String.format(
                "    %7.0f  (trace: first page call)%n    %7.0f  (trace: last page call ended)%n",
                wall + first - mono - created, wall + last - mono - created);
    }

    static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String rounded(double[] ms) {
        return Arrays.stream(ms).mapToObj(v -> String.valueOf(Math.round(v))).collect(Collectors.joining(" "));
    }

    /** A job's events, each with its time after the job was created (both stamped by PostgreSQL). */
    private static String timeline(JdbcTemplate jdbc, String id) {
        StringBuilder out = new StringBuilder();
        jdbc.query(
                "SELECT e.event_type, extract(epoch FROM e.created_at - j.created_at) * 1000 AS ms"
                        + " FROM gh_job_events e JOIN gh_automation_jobs j ON j.id = e.job_id WHERE e.job_id = ?"
                        + " ORDER BY e.created_at",
                rs -> {
                    out.append(String.format("    %7.0f  %s%n", rs.getDouble("ms"), rs.getString("event_type")));
                },
                UUID.fromString(id));
        jdbc.query(
                "SELECT extract(epoch FROM started_at - created_at) * 1000 AS s,"
                        + " extract(epoch FROM completed_at - created_at) * 1000 AS c FROM gh_automation_jobs WHERE id = ?",
                rs -> {
                    out.append(String.format(
                            "    %7.0f  (started_at)%n    %7.0f  (completed_at)%n",
                            rs.getDouble("s"), rs.getDouble("c")));
                },
                UUID.fromString(id));
        return out.toString();
    }
}
