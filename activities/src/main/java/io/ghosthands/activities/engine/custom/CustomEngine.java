package io.ghosthands.activities.engine.custom;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.LoadState;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.JobEngine;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageScripts;
import io.ghosthands.activities.engine.PageShots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code job_type: custom}, done deterministically and modestly: it does not interpret the task
 * beyond one instruction. It opens the page and summarises it; when the task says to click a
 * quoted phrase (e.g. {@code click "Careers"}) and a visible link or button with those words is
 * there, it clicks it once and summarises the page reached instead.
 *
 * <p>{@code result_data}: {@code title}, {@code final_url}, {@code summary} (the first ~1000
 * characters of the page's main text, whitespace collapsed), {@code headings} (visible h1–h3, at
 * most 20), {@code links_count}, {@code task_description}, {@code note}, and {@code click}: null
 * without a quoted phrase, else {@code {phrase, found, clicked, matched_text, from_url, to_url,
 * error}}.
 */
public final class CustomEngine implements JobEngine {

    static final String NOTE = "deterministic engine: opened the page and summarised it";
    static final int SUMMARY_CHARS = 1000;
    private static final double CLICK_TIMEOUT_MS = 10_000;
    private static final String SUMMARY_SCRIPT = PageScripts.load(CustomEngine.class, "page-summary.js");
    private static final String MARK_SCRIPT = PageScripts.load(CustomEngine.class, "mark-click-target.js");
    private static final Pattern CLICK =
            Pattern.compile("(?i)\\bclick(?:\\s+on)?(?:\\s+the)?\\s*[\"“”'‘’«„]([^\"“”‘’«»„]{1,80}?)[\"“”'‘’»]");

    private final JobSpec job;
    private final EngineContext ctx;
    private final List<String> screenshots = new ArrayList<>();
    /** The click made (or not) on an earlier call; kept so a call after a blocker never clicks again. */
    private Map<String, Object> click;

    public CustomEngine(JobSpec job, EngineContext ctx) {
        this.job = job;
        this.ctx = ctx;
    }

    @Override
    public Outcome proceed(Page page) {
        Optional<BlockerDetector.Blocker> blocker = ctx.blocker(page);
        if (blocker.isPresent()) {
            return new Outcome.Blocked(blocker.get());
        }
        Optional<String> phrase = clickPhrase(job.taskDescription());
        if (phrase.isPresent() && click == null) {
            click = clickOnce(page, phrase.get());
            blocker = ctx.blocker(page);
            if (blocker.isPresent()) {
                return new Outcome.Blocked(blocker.get());
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) page.evaluate(SUMMARY_SCRIPT);
        screenshots.add(ctx.saveScreenshot("custom", PageShots.png(page)));

        String title = String.valueOf(s.getOrDefault("title", ""));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("title", title);
        result.put("final_url", s.get("url"));
        result.put("summary", shorten(String.valueOf(s.getOrDefault("text", ""))));
        result.put("headings", s.getOrDefault("headings", List.of()));
        result.put("links_count", s.get("links") instanceof Number ? ((Number) s.get("links")).intValue() : 0);
        result.put("task_description", job.taskDescription());
        result.put("note", NOTE);
        result.put("click", click);
        return new Outcome.Done(result, summaryLine(title), List.copyOf(screenshots));
    }

    private Map<String, Object> clickOnce(Page page, String phrase) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("phrase", phrase);
        c.put("found", false);
        c.put("clicked", false);
        c.put("matched_text", null);
        c.put("from_url", page.url());
        c.put("to_url", null);
        c.put("error", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) page.evaluate(MARK_SCRIPT, phrase);
        if (target == null) {
            return c;
        }
        c.put("found", true);
        c.put("matched_text", target.get("text"));
        // the page as it was before the click, so the result shows where the job started too
        screenshots.add(ctx.saveScreenshot("custom-before-click", PageShots.png(page)));
        Locator element = page.locator("[data-gh-click-target]").first();
        try {
            element.click(new Locator.ClickOptions().setTimeout(CLICK_TIMEOUT_MS));
            c.put("clicked", true);
        } catch (PlaywrightException e) {
            // covered, detached or disabled: say so and summarise the page as it is
            c.put("error", String.valueOf(e.getMessage()).lines().findFirst().orElse("click failed"));
            return c;
        }
        try {
            page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(CLICK_TIMEOUT_MS));
        } catch (TimeoutError e) {
            // a slow page is summarised as far as it got
        }
        c.put("to_url", page.url());
        ctx.event("page_advanced", "Clicked \"" + target.get("text") + "\"", Map.of("to_url", page.url()));
        return c;
    }

    private String summaryLine(String title) {
        String page = title.isEmpty() ? "the page" : "\"" + title + "\"";
        if (click == null) {
            return "Opened " + page + " and summarised it";
        }
        if (Boolean.TRUE.equals(click.get("clicked"))) {
            return "Clicked \"" + click.get("matched_text") + "\" and summarised " + page;
        }
        String why = Boolean.TRUE.equals(click.get("found")) ? "could not be clicked" : "was not found";
        return "Opened " + page + " and summarised it (\"" + click.get("phrase") + "\" " + why + ")";
    }

    /** The quoted words after "click" in a task description, if any. */
    static Optional<String> clickPhrase(String task) {
        if (task == null) {
            return Optional.empty();
        }
        Matcher m = CLICK.matcher(task);
        return m.find() && !m.group(1).isBlank() ? Optional.of(m.group(1).trim()) : Optional.empty();
    }

    /** At most {@link #SUMMARY_CHARS} characters, cut at a word boundary, with an ellipsis when cut. */
    static String shorten(String text) {
        String t = text.replaceAll("\\s+", " ").trim();
        if (t.length() <= SUMMARY_CHARS) {
            return t;
        }
        int cut = t.lastIndexOf(' ', SUMMARY_CHARS - 1);
        return t.substring(0, cut > SUMMARY_CHARS / 2 ? cut : SUMMARY_CHARS - 1) + "…";
    }
}
