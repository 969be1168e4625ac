package io.ghosthands.activities.engine.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code fill_form} over the whole real-forms corpus in real Chromium with the standard profile
 * ({@link RealFormsCorpus}). Fails on any wrong value, on a page whose accuracy falls below its floor
 * ({@code floors.json}), on a false blocker pause and on an expectation whose selector finds nothing.
 * Writes the per-page report and the per-platform table to {@code target/real-forms-report.md}.
 */
class RealFormsCorpusTest {

    @Test
    void everyRealPageIsFilledWithoutAWrongValueAndAtLeastItsFloor() throws Exception {
        List<String> missing = new ArrayList<>();
        boolean sharedHere = Files.isDirectory(RealFormsCorpus.sharedPages());
        if (!sharedHere && System.getenv("CI") == null) {
            System.out.println("NOTE: real-forms corpus skipped: " + RealFormsCorpus.sharedPages()
                    + " is not beside this checkout (it is in CI); only pages copied into the project would run");
        }
        List<RealFormsCorpus.PageSpec> specs = RealFormsCorpus.load(missing);
        assertThat(sharedHere || System.getenv("CI") == null)
                .as("../shared/fixtures/real-forms must be there in CI")
                .isTrue();
        Assumptions.assumeTrue(!specs.isEmpty(), "no real-forms page at hand");
        if (sharedHere) {
            assertThat(missing).as("expectations whose page is missing").isEmpty();
        }
        String only = System.getProperty("gh.realForms.only");
        Map<String, Double> floors = RealFormsCorpus.floors();
        List<RealFormsCorpus.PageResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        try (RealFormsCorpus corpus = new RealFormsCorpus()) {
            for (RealFormsCorpus.PageSpec spec : specs) {
                if (only != null && !spec.page().contains(only)) {
                    continue;
                }
                RealFormsCorpus.PageResult r = corpus.run(spec);
                results.add(r);
                details.append(RealFormsCorpus.detail(r));
                if (r.error() != null) {
                    failures.add(spec.page() + ": " + r.error());
                }
                if (!r.blocker().equals(spec.blocker())) {
                    failures.add(spec.page() + ": blocker " + r.blocker() + ", expected " + spec.blocker());
                }
                if (r.count("wrong") > 0) {
                    failures.add(spec.page() + ": " + r.count("wrong") + " wrong value(s)");
                }
                if (r.count("error") > 0) {
                    failures.add(spec.page() + ": " + r.count("error") + " expectation selector(s) match nothing");
                }
                double floor = floors.getOrDefault(spec.page(), 0.0);
                if (r.accuracy() + 1e-9 < floor) {
                    failures.add(
                            String.format("%s: accuracy %.3f below its floor %.3f", spec.page(), r.accuracy(), floor));
                }
            }
        }
        String table = RealFormsCorpus.table(results);
        System.out.println(details);
        System.out.println(table);
        Path report = Path.of("target/real-forms-report.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, "# Real-forms corpus\n\n" + table + "\n```\n" + details + "```\n");
        assertThat(failures).as("real-forms corpus").isEmpty();
    }
}
