package io.ghosthands.activities.engine.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.LoopbackPages;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.RecordingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ScrapeEngine reads every field exactly from posting pages of each kind (clean JSON-LD; an
 * {@code @graph} with references, several locations, remote work and a broken sibling script;
 * broken JSON-LD beside valid microdata; no structured data at all) and reports a page that is no
 * posting without failing. Pages are served on loopback and read by real Chromium.
 */
class ScrapeEngineTest {

    private static LoopbackPages pages;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-10T12:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void start() throws Exception {
        pages = new LoopbackPages(Path.of("src/test/resources").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        pages.close();
    }

    private Outcome scrape(String path, RecordingContext ctx) throws Exception {
        JobSpec job = new JobSpec("job-1", "scrape", pages.url(path), "scrape it", Map.of(), null);
        return pages.open(path, page -> new ScrapeEngine(job, ctx, CLOCK).proceed(page));
    }

    private Outcome.Done done(String path) throws Exception {
        RecordingContext ctx = new RecordingContext();
        Outcome outcome = scrape(path, ctx);
        assertThat(outcome).isInstanceOf(Outcome.Done.class);
        Outcome.Done done = (Outcome.Done) outcome;
        assertThat(ctx.screenshots).hasSize(1);
        assertThat(ctx.screenshots.get(0)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(done.screenshotUrls()).containsExactly("memory://screenshots/1/scrape.png");
        return done;
    }

    private static Map<String, Object> salary(Number min, Number max, String currency, String unit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", min);
        m.put("max", max);
        m.put("currency", currency);
        m.put("unit", unit);
        return m;
    }

    private static Map<String, Object> expected(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void cleanJsonLdPostingIsReadFieldByFieldAndTheApplyLinkComesFromThePage() throws Exception {
        Outcome.Done done = done("postings/clean-jsonld.html");
        assertThat(done.resultData())
                .isEqualTo(expected(
                        "title", "Senior Engineer",
                        "company", "Acme Corp",
                        "location", "Austin, TX, US",
                        "remote", false,
                        "employment_type", "FULL_TIME",
                        "salary_range", salary(140000L, 180000L, "USD", "year"),
                        "description", "Build the payments platform & mentor engineers.\n• Java 17\n• PostgreSQL",
                        "posted_date", "2024-03-01",
                        "apply_url", pages.url("jobs/senior-engineer/apply"),
                        "source", "json-ld",
                        "url", pages.url("postings/clean-jsonld.html"),
                        "job_posting_found", true));
        assertThat(done.summary()).isEqualTo("Scraped \"Senior Engineer\" at Acme Corp");
    }

    @Test
    void graphWithReferencesLocationArrayRemoteAndABrokenSiblingScriptIsRead() throws Exception {
        Outcome.Done done = done("postings/graph-locations.html");
        assertThat(done.resultData())
                .isEqualTo(expected(
                        "title", "Backend Developer (m/w/d)",
                        "company", "Example GmbH",
                        "location", "Remote (Germany); Berlin, Germany; München, Bayern, DE",
                        "remote", true,
                        "employment_type", "FULL_TIME, CONTRACTOR",
                        "salary_range", salary(65000L, 80000L, "EUR", "year"),
                        "description", "Deine Aufgaben\nAPIs bauen und betreiben.",
                        "posted_date", "2024-02-15",
                        "apply_url", "https://jobs.example.de/stellen/42/bewerben",
                        "source", "json-ld",
                        "url", pages.url("postings/graph-locations.html"),
                        "job_posting_found", true));
        assertThat(done.summary()).isEqualTo("Scraped \"Backend Developer (m/w/d)\" at Example GmbH");
    }

    @Test
    void malformedJsonLdFallsBackToMicrodata() throws Exception {
        Outcome.Done done = done("postings/malformed-microdata.html");
        assertThat(done.resultData())
                .isEqualTo(expected(
                        "title", "Data Analyst",
                        "company", "Bright Labs",
                        "location", "Toronto, ON, Canada",
                        "remote", false,
                        "employment_type", "PART_TIME",
                        "salary_range", salary(35L, 42.5, "CAD", "hour"),
                        "description", "Turn data into decisions.\nSQL and Python required.",
                        "posted_date", "2024-01-20",
                        "apply_url", pages.url("careers/data-analyst/apply"),
                        "source", "dom",
                        "url", pages.url("postings/malformed-microdata.html"),
                        "job_posting_found", true));
    }

    @Test
    void pageWithoutStructuredDataIsReadFromTheDom() throws Exception {
        Outcome.Done done = done("postings/dom-only.html");
        assertThat(done.resultData())
                .isEqualTo(expected(
                        "title",
                        "Product Designer",
                        "company",
                        "Nimbus Labs",
                        "location",
                        "Remote - US",
                        "remote",
                        true,
                        "employment_type",
                        "FULL_TIME",
                        "salary_range",
                        salary(120000L, 150000L, "USD", "year"),
                        "description",
                        "About the role\nYou will design the future of cloud tooling.\nCompensation\n"
                                + "The base salary range for this role is $120,000 – $150,000 a year, plus equity.",
                        "posted_date",
                        "2024-03-04",
                        "apply_url",
                        pages.url("careers/product-designer/apply"),
                        "source",
                        "dom",
                        "url",
                        pages.url("postings/dom-only.html"),
                        "job_posting_found",
                        true));
        assertThat(done.summary()).isEqualTo("Scraped \"Product Designer\" at Nimbus Labs");
    }

    @Test
    void pageThatIsNoPostingEndsDoneWithItsTitleAndPostingNotFound() throws Exception {
        Outcome.Done done = done("postings/not-a-posting.html");
        assertThat(done.resultData())
                .isEqualTo(expected(
                        "title",
                        "How we ship weekly | Nimbus Labs Blog",
                        "company",
                        null,
                        "location",
                        null,
                        "remote",
                        false,
                        "employment_type",
                        null,
                        "salary_range",
                        null,
                        "description",
                        "How we ship weekly\n"
                                + "Shipping every week takes discipline, small changes and a fast test suite.\n"
                                + "Here is what we learned in three years of weekly releases.",
                        "posted_date",
                        null,
                        "apply_url",
                        null,
                        "source",
                        "dom",
                        "url",
                        pages.url("postings/not-a-posting.html"),
                        "job_posting_found",
                        false));
        assertThat(done.summary())
                .isEqualTo("No job posting found at " + pages.url("postings/not-a-posting.html")
                        + " (page \"How we ship weekly | Nimbus Labs Blog\")");
    }

    @Test
    void atsStyleApplicationPagesWithoutStructuredDataStillGiveTheJobAndCompany() throws Exception {
        // pages written for the apply engine's tests: Greenhouse- and Lever-like markup, no JSON-LD
        Map<String, Object> greenhouse =
                done("forms/greenhouse-style-application.html").resultData();
        assertThat(greenhouse)
                .containsEntry("title", "Senior Backend Engineer")
                .containsEntry("company", "Acme Corp")
                .containsEntry("job_posting_found", true)
                .containsEntry("source", "dom")
                .containsEntry("apply_url", pages.url("forms/greenhouse-style-application.html"));
        Map<String, Object> lever = done("forms/lever-style-application.html").resultData();
        assertThat(lever)
                .containsEntry("title", "Product Designer")
                .containsEntry("company", "Globex")
                .containsEntry("location", "Berlin")
                .containsEntry("employment_type", "FULL_TIME")
                .containsEntry("job_posting_found", true)
                .containsEntry("apply_url", pages.url("forms/lever-style-application.html"));
    }

    @Test
    void blockedPageIsReportedBeforeAnythingIsRead() throws Exception {
        BlockerDetector.Blocker captcha = new BlockerDetector.Blocker(
                BlockerDetector.Reason.CAPTCHA, 0.95, "CAPTCHA on the page", List.of("captcha widget element"));
        RecordingContext ctx = new RecordingContext().blockedBy(captcha);
        Outcome outcome = scrape("postings/clean-jsonld.html", ctx);
        assertThat(outcome).isEqualTo(new Outcome.Blocked(captcha));
        assertThat(ctx.screenshots).isEmpty();
    }
}
