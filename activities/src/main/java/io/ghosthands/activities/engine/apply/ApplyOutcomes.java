package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageShots;
import io.ghosthands.workflows.ErrorCode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an apply attempt ends, each with its screenshot and its {@code result_data}: done (submitted
 * or filled), blocked, stuck, crashed; and the details a failure reports.
 */
final class ApplyOutcomes {

    private final ApplyAttempt a;

    ApplyOutcomes(ApplyAttempt attempt) {
        this.a = attempt;
    }

    Outcome done(Page p, PageScan scan, boolean submitted) {
        screenshot(p, submitted ? "confirmation" : "final");
        Map<String, Object> r = a.work();
        r.put("confirmation_text", submitted ? emptyToNull(FormNavigator.confirmationText(scan)) : null);
        r.put("confirmation_id", submitted ? FormNavigator.confirmationId(scan) : null);
        r.put("final_url", p.url());
        r.put("submitted", submitted);
        r.put("resume_uploaded", a.resumeName != null);
        if (!a.consents.isEmpty()) {
            r.put("consents_checked", new ArrayList<>(a.consents));
        }
        String host = host(p.url());
        int pages = Math.max(1, a.pages.size());
        String summary = submitted
                ? "Application submitted on " + host + ": " + a.filled.size() + " fields on " + pages + " page(s)"
                        + (r.get("confirmation_id") != null ? ", confirmation " + r.get("confirmation_id") : "")
                : "Form filled on " + host + " (" + a.filled.size() + " fields on " + pages
                        + " page(s)); stopped before submitting";
        a.ctx.progress(submitted ? "submitted" : "form_filled", 100, summary);
        return new Outcome.Done(r, summary, new ArrayList<>(a.screenshots));
    }

    Outcome blocked(Page p, BlockerDetector.Blocker b) {
        screenshot(p, "blocked-" + b.reason().code());
        a.ctx.event(
                "blocker_detected", b.description(), Map.of("reason", b.reason().code(), "url", p.url()));
        return new Outcome.Blocked(b);
    }

    Outcome stuck(Page p, PageScan scan) {
        String shot = screenshot(p, "stuck");
        Map<String, Object> d = details(p, scan);
        if (shot != null) {
            d.put("screenshot_url", shot);
        }
        a.ctx.event(
                "stuck",
                "The page did not change after " + ApplyEngine.STUCK_AFTER + " attempts",
                Map.of("url", p.url()));
        return new Outcome.Failed(
                ErrorCode.STUCK.code(),
                "The page \"" + PageWalker.describe(scan) + "\" did not change after " + ApplyEngine.STUCK_AFTER
                        + " attempts",
                d);
    }

    Outcome crashed(PlaywrightException e) {
        boolean gone = a.active != null && a.active.isClosed();
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new Outcome.Failed(
                gone ? ErrorCode.BROWSER_CRASHED.code() : ErrorCode.INTERNAL_ERROR.code(),
                "Browser error while filling the form: " + Text.clip(first, 200),
                Map.of("exception", e.getClass().getSimpleName()));
    }

    Map<String, Object> details(Page p, PageScan scan) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("final_url", p.url());
        d.put("page", PageWalker.describe(scan));
        if (!scan.errors().isEmpty()) {
            d.put("errors", scan.errors());
        }
        List<String> invalid = scan.fields().stream()
                .filter(FormField::invalid)
                .map(FormField::question)
                .toList();
        if (!invalid.isEmpty()) {
            d.put("invalid_fields", invalid);
        }
        d.put("fields_filled", new LinkedHashMap<>(a.filled));
        // a failed job reports what it did as a finished one does (result_data), screenshots included
        Map<String, Object> work = a.work();
        work.put("final_url", p.url());
        work.put("resume_uploaded", a.resumeName != null);
        work.put("screenshot_urls", new ArrayList<>(a.screenshots));
        d.put("result_data", work);
        return d;
    }

    String screenshot(Page p, String stage) {
        try {
            // JPEG: a tall form's full-page PNG takes Chromium about twice as long to encode, and is
            // several times larger to store, for a record of what the page showed
            byte[] jpeg = PageShots.fullPageJpeg(p, 80);
            String url = a.ctx.saveScreenshot(String.format("apply-%02d-%s.jpg", ++a.shots, stage), jpeg);
            if (url != null) {
                a.screenshots.add(url);
            }
            return url;
        } catch (PlaywrightException e) {
            return null; // a missing screenshot must not fail the job
        }
    }

    private static String host(String url) {
        try {
            String h = URI.create(url).getHost();
            return h == null ? url : h;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
