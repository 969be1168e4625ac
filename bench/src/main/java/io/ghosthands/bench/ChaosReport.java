package io.ghosthands.bench;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The chaos suite's verdict: one line per scenario (printed at once and again in the summary), and
 * whether any scenario lost a job or submitted one twice.
 */
final class ChaosReport {

    private static final List<String> results = new ArrayList<>();
    private static boolean failed;

    private ChaosReport() {}

    /** Prints {@code line} and keeps it for the summary. */
    static void record(String line) {
        results.add(line);
        System.out.println(line);
    }

    /** Marks the run failed unless {@code pass}. */
    static void verdict(boolean pass) {
        failed |= !pass;
    }

    static boolean failed() {
        return failed;
    }

    /** Prints the summary: every scenario's line and the verdict. */
    static void printSummary() {
        System.out.println();
        System.out.println("chaos suite summary (" + Instant.now() + "):");
        results.forEach(System.out::println);
        System.out.println(failed ? "CHAOS SUITE FAILED" : "CHAOS SUITE PASSED");
    }

    /** Waits for every job to finish (or the bound), then prints and records the scenario's line. */
    static void report(ChaosHarness h, String name, ChaosTally tally) throws InterruptedException {
        report(h, name, tally, "");
    }

    static void report(ChaosHarness h, String name, ChaosTally tally, String extra) throws InterruptedException {
        List<String> ids = tally.all();
        awaitFinished(h.jdbc, ids);
        Outcome o = new Outcome();
        for (String id : ids) {
            o.count(h, id);
        }
        duplicates(h.jdbc, ids, o);
        String recovery = recovery(h.jdbc, tally);
        boolean pass = o.lost == 0 && o.twice == 0;
        verdict(pass);
        record(String.format(
                "chaos %-14s acknowledged %d%s, completed %d, failed %d, lost %d, submitted twice %d,"
                        + " time to recover (fault -> last hit job finished) %s%s  %s",
                name,
                tally.acknowledged(),
                tally.unacknowledged() > 0 ? " (+" + tally.unacknowledged() + " created without an answer)" : "",
                o.completed,
                o.failedJobs,
                o.lost,
                o.twice,
                recovery,
                extra,
                pass ? "PASS" : "FAIL"));
        o.notes.stream().limit(20).forEach(n -> System.out.println("    " + n));
    }

    private static void awaitFinished(JdbcTemplate jdbc, List<String> ids) throws InterruptedException {
        long until = System.nanoTime() + ChaosHarness.SETTLE.toNanos();
        while (System.nanoTime() < until) {
            Integer open = jdbc.queryForObject(
                    "SELECT count(*) FROM gh_automation_jobs WHERE id = ANY(?::uuid[])"
                            + " AND status NOT IN ('completed','failed','cancelled','expired')",
                    Integer.class,
                    (Object) ids.toArray(String[]::new));
            if (open != null && open == 0) {
                break;
            }
            Thread.sleep(500);
        }
    }

    /** Nothing created twice: one row per idempotency key, one per site URL. */
    private static void duplicates(JdbcTemplate jdbc, List<String> ids, Outcome o) {
        Integer dupKeys = jdbc.queryForObject(
                "SELECT count(*) FROM (SELECT idempotency_key FROM gh_automation_jobs"
                        + " WHERE idempotency_key IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d",
                Integer.class);
        Integer dupUrls = jdbc.queryForObject(
                "SELECT count(*) FROM (SELECT target_url FROM gh_automation_jobs"
                        + " WHERE id = ANY(?::uuid[]) GROUP BY 1 HAVING count(*) > 1) d",
                Integer.class,
                (Object) ids.toArray(String[]::new));
        o.twice += dupKeys + dupUrls;
        if (dupKeys + dupUrls > 0) {
            o.notes.add((dupKeys + dupUrls) + " job(s) created twice");
        }
    }

    /** Time to recover: from each fault to the last of the jobs it hit being finished. */
    private static String recovery(JdbcTemplate jdbc, ChaosTally tally) {
        List<Double> recover = new ArrayList<>();
        for (ChaosTally.Fault f : tally.faults) {
            if (f.affected().isEmpty()) {
                continue;
            }
            Double s = jdbc.queryForObject(
                    "SELECT extract(epoch FROM max(coalesce(completed_at, updated_at)) - ?::timestamptz)"
                            + " FROM gh_automation_jobs WHERE id = ANY(?::uuid[]) AND status IN ('completed','failed','cancelled','expired')",
                    Double.class,
                    Timestamp.from(f.at()),
                    f.affected().toArray(String[]::new));
            if (s != null) {
                recover.add(s);
            }
        }
        Collections.sort(recover);
        return recover.isEmpty()
                ? "n/a"
                : recover.size() == 1
                        ? String.format("%.1f s", recover.get(0))
                        : String.format(
                                "median %.1f s, max %.1f s over %d faults",
                                recover.get(recover.size() / 2), recover.get(recover.size() - 1), recover.size());
    }

    /** The jobs of one scenario by how they ended, with a note on each that did not end well. */
    private static final class Outcome {
        int completed;
        int failedJobs;
        int lost;
        int twice;
        final List<String> notes = new ArrayList<>();

        void count(ChaosHarness h, String id) {
            List<Map<String, Object>> rows = h.jdbc.queryForList(
                    "SELECT status, error_code, target_url FROM gh_automation_jobs" + " WHERE id = ?::uuid", id);
            if (rows.isEmpty()) {
                lost++;
                notes.add(id + ": no row");
                return;
            }
            String status = (String) rows.get(0).get("status");
            int received = h.site.received(String.valueOf(rows.get(0).get("target_url")));
            if (received > 1) {
                twice++;
                notes.add(id + ": the site received " + received + " applications");
            }
            switch (status) {
                case "completed" -> {
                    if (received == 0) {
                        lost++;
                        notes.add(id + ": completed but the site received nothing");
                    } else {
                        completed++;
                    }
                }
                case "failed", "cancelled", "expired" -> {
                    failedJobs++;
                    notes.add(id + ": " + status + " (" + rows.get(0).get("error_code") + "), the site received "
                            + received + " application(s)");
                }
                default -> {
                    lost++;
                    notes.add(id + ": still " + status + " " + ChaosHarness.SETTLE.toSeconds() + " s after the fault");
                }
            }
        }
    }
}
