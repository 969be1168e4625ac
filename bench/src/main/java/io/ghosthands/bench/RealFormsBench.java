package io.ghosthands.bench;

import io.ghosthands.activities.engine.apply.RealFormsCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accuracy of the apply engine on the real-forms corpus (real saved application pages, see
 * {@code activities/src/test/resources/real-forms/README.md}): fills every page as the corpus test
 * does and prints, per page and per platform, the fields right, wrong and missed, and the time each
 * page took. Writes the table to {@code target/real-forms.md} for the README.
 */
public final class RealFormsBench {

    private RealFormsBench() {}

    public static void main(String[] args) throws Exception {
        List<String> missing = new ArrayList<>();
        List<RealFormsCorpus.PageSpec> specs = RealFormsCorpus.load(missing);
        if (!missing.isEmpty()) {
            System.out.println("pages not at hand (../shared/fixtures/real-forms missing?): " + missing.size());
        }
        List<RealFormsCorpus.PageResult> results = new ArrayList<>();
        long t0 = System.nanoTime();
        try (RealFormsCorpus corpus = new RealFormsCorpus()) {
            for (RealFormsCorpus.PageSpec spec : specs) {
                RealFormsCorpus.PageResult r = corpus.run(spec);
                results.add(r);
                System.out.printf(
                        Locale.ROOT,
                        "%-62s %3d/%3d right  %2d wrong  %3d missed  %5.1f %%  %6d ms%n",
                        spec.page(),
                        r.count("right"),
                        r.verdicts().size(),
                        r.count("wrong"),
                        r.count("missed"),
                        100 * r.accuracy(),
                        r.millis());
            }
        }
        String table = RealFormsCorpus.table(results);
        System.out.println();
        System.out.println(table);
        System.out.printf(Locale.ROOT, "%d pages in %.0f s%n", results.size(), (System.nanoTime() - t0) / 1e9);
        Path out = Path.of("target/real-forms.md");
        Files.createDirectories(out.getParent());
        StringBuilder md = new StringBuilder("Real-forms corpus, " + LocalDate.now() + "\n\n" + table + "\n");
        for (RealFormsCorpus.PageResult r : results) {
            md.append(RealFormsCorpus.detail(r));
        }
        Files.writeString(out, md.toString());
        System.exit(0);
    }
}
