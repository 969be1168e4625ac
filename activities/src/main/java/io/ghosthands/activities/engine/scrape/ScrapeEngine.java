package io.ghosthands.activities.engine.scrape;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.LoadState;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.JobEngine;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageScripts;
import io.ghosthands.activities.engine.PageShots;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code job_type: scrape}: reads the job posting the page shows and ends the job with it.
 *
 * <p>{@code result_data} keys (always present, null when not found): {@code title}, {@code company},
 * {@code location} ("City, Region, Country", several joined with "; ", "Remote" first for
 * telecommute jobs), {@code remote} (boolean), {@code employment_type} (schema.org codes such as
 * {@code FULL_TIME}, several joined with ", "), {@code salary_range} ({@code {min, max, currency,
 * unit}}, unit one of hour/day/week/month/year), {@code description} (plain text, one line per
 * block), {@code posted_date} (ISO date), {@code apply_url}, {@code source} ({@code json-ld} or
 * {@code dom}), {@code url} (the page's final URL) and {@code job_posting_found}. A page that is no
 * posting is not a failure: it ends Done with {@code job_posting_found: false} and the page's title.
 * See {@link JobPostingExtractor} for the order in which sources are trusted.
 */
public final class ScrapeEngine implements JobEngine {

    private static final String SNAPSHOT = PageScripts.load(ScrapeEngine.class, "posting-snapshot.js");
    /** How long a page that has not finished loading (or rendering, for script-built pages) is waited for. */
    private static final double SETTLE_MS = 8_000;

    private final EngineContext ctx;
    private final Clock clock;

    public ScrapeEngine(JobSpec job, EngineContext ctx) {
        this(job, ctx, Clock.systemUTC());
    }

    /** With a clock for relative posting dates ("3 days ago"). */
    public ScrapeEngine(JobSpec job, EngineContext ctx, Clock clock) {
        this.ctx = ctx; // the job itself adds nothing: the page is the whole input
        this.clock = clock;
    }

    @Override
    public Outcome proceed(Page page) {
        Optional<BlockerDetector.Blocker> blocker = ctx.blocker(page);
        if (blocker.isPresent()) {
            return new Outcome.Blocked(blocker.get());
        }
        ctx.progress("scraping", 30, "Reading the job posting");
        settle(page, LoadState.LOAD);
        Map<String, Object> snapshot = snapshot(page);
        if (!hasContent(snapshot)) {
            // a page built by scripts may still be rendering: give it until the network is quiet
            settle(page, LoadState.NETWORKIDLE);
            snapshot = snapshot(page);
        }
        Map<String, Object> result = new JobPostingExtractor(LocalDate.now(clock)).extract(snapshot);
        String screenshot = ctx.saveScreenshot("scrape", PageShots.png(page));
        ctx.progress("scraping", 100, "Job posting read");
        return new Outcome.Done(result, summary(result), List.of(screenshot));
    }

    static String summary(Map<String, Object> result) {
        Object title = result.get("title");
        if (!Boolean.TRUE.equals(result.get("job_posting_found"))) {
            return "No job posting found at " + result.get("url") + (title == null ? "" : " (page \"" + title + "\")");
        }
        Object company = result.get("company");
        return "Scraped \"" + (title == null ? "untitled posting" : title) + "\""
                + (company == null ? "" : " at " + company);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> snapshot(Page page) {
        return (Map<String, Object>) page.evaluate(SNAPSHOT);
    }

    private static boolean hasContent(Map<String, Object> snapshot) {
        Object ld = snapshot.get("ldJson");
        Object body = snapshot.get("bodyText");
        return ld instanceof List && !((List<?>) ld).isEmpty()
                || body != null && body.toString().trim().length() > 200;
    }

    private static void settle(Page page, LoadState state) {
        try {
            page.waitForLoadState(state, new Page.WaitForLoadStateOptions().setTimeout(SETTLE_MS));
        } catch (TimeoutError e) {
            // read what is there: a page that never goes quiet (polling, ads) is still worth reading
        }
    }
}
