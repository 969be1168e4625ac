package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.LoadState;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageQuiet;
import io.ghosthands.workflows.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Walks an application: from the job listing (its apply button, a new tab) through the form's pages
 * (a page filled, then its Next) to the complete final page, where the submit is left to
 * {@link SubmitGuard}. It notices a blocker, a confirmation, and a page that does not change.
 */
final class PageWalker {

    private final ApplyAttempt a;
    private final PageFiller filler;
    private final ApplyOutcomes out;

    PageWalker(ApplyAttempt attempt, PageFiller filler, ApplyOutcomes out) {
        this.a = attempt;
        this.filler = filler;
        this.out = out;
    }

    Outcome walk(Page start) {
        Page p = start;
        for (int turn = 0; turn < ApplyEngine.MAX_TURNS; turn++) {
            settle(p);
            Optional<BlockerDetector.Blocker> blocker = a.ctx.blocker(p);
            if (blocker.isPresent()) {
                return out.blocked(p, blocker.get());
            }
            FieldScanner.Scanned s = scanPastCookies(p);
            List<FormField> fillable = fillable(s.scan());
            if (FormNavigator.confirmed(s.scan(), fillable.size())
                    || a.submitClicks > 0 && FormNavigator.confirmedAfterSubmit(s.scan(), fillable.size())) {
                // a "Continue" that was in fact the final submit, or a submit that went through during a pause
                return out.done(p, s.scan(), true);
            }
            String sig = s.scan().signature();
            a.sameSignature = sig.equals(a.lastSignature) ? a.sameSignature + 1 : 1;
            a.lastSignature = sig;
            if (a.sameSignature >= ApplyEngine.STUCK_AFTER) {
                return out.stuck(p, s.scan());
            }
            // a listing: an apply button and no way to send a form (a newsletter box is not the application)
            Optional<PageScan.Button> apply = FormNavigator.apply(s.scan());
            if (apply.isPresent()
                    && FormNavigator.next(s.scan()).isEmpty()
                    && FormNavigator.submit(s.scan(), fillable.size()).isEmpty()) {
                p = followApply(p, s, apply.get());
                continue;
            }
            Outcome ended = fillAndMove(p, s);
            if (ended != null) {
                return ended;
            }
        }
        out.screenshot(p, "stuck");
        return new Outcome.Failed(
                ErrorCode.STUCK.code(),
                "Gave up after " + ApplyEngine.MAX_TURNS + " steps",
                Map.of("final_url", p.url()));
    }

    /** Scans the page, after accepting its cookie banner if it shows one. */
    private FieldScanner.Scanned scanPastCookies(Page p) {
        FieldScanner.Scanned s = a.scanner.scan(p);
        // where the job is: the posting says it, the application pages after it often do not
        a.jobCountries.addAll(PageContext.of(s.scan()).countries());
        if (s.scan().cookieButton() >= 0) {
            new FieldFiller(p, s.frame())
                    .click(s.frame()
                            .locator(s.scan()
                                    .buttons()
                                    .get(s.scan().cookieButton())
                                    .selector()));
            a.ctx.event("cookie_banner_dismissed", "Accepted the cookie banner", Map.of());
            settle(p);
            s = a.scanner.scan(p);
        }
        return s;
    }

    /**
     * Fills the form page and moves on: its Next clicked (null: the walk goes on), or how the walk
     * ends here (ready to submit, filled, answers needed, failed).
     */
    private Outcome fillAndMove(Page p, FieldScanner.Scanned s) {
        a.pages.add(describe(s.scan()));
        a.ctx.progress(
                "filling_form",
                Math.min(85, 10 + 15 * a.pages.size()),
                "Filling page " + a.pages.size() + ": " + describe(s.scan()));
        PageFiller.PageFill fill = filler.fillPage(p, s, a.sameSignature > 1);
        if (fill.failure() != null) {
            out.screenshot(p, "failed");
            return fill.failure();
        }
        if (!fill.missing().isEmpty()) {
            out.screenshot(p, "needs-answers");
            a.ctx.event(
                    "needs_answers",
                    "Required questions without an answer: " + String.join("; ", fill.missing()),
                    Map.of("questions", fill.missing()));
            return new Outcome.NeedsAnswers(fill.missing());
        }
        PageScan scan = fill.scan();
        int fields = fillable(scan).size();
        Optional<PageScan.Button> next = FormNavigator.next(scan);
        Optional<PageScan.Button> submit = FormNavigator.submit(scan, fields);
        if (next.isPresent()) {
            out.screenshot(p, "page-" + a.pages.size());
            advance(p, fill.frame(), scan, next.get());
            return null;
        }
        if (submit.isPresent()) {
            out.screenshot(p, "ready");
            if (!a.submitAllowed) {
                a.ctx.event(
                        "form_filled",
                        "Form complete; stopped before submitting (fill_form)",
                        Map.of("fields", a.filled.size()));
                return out.done(p, scan, false);
            }
            a.ctx.progress("ready_to_submit", 88, "Form complete, ready to submit");
            a.readyNanos = System.nanoTime();
            return new Outcome.ReadyToSubmit(new LinkedHashMap<>(a.filled));
        }
        out.screenshot(p, "no-form");
        return new Outcome.Failed(
                ErrorCode.FORM_NOT_FOUND.code(),
                fields == 0
                        ? "No application form or apply button on the page"
                        : "No Next or Submit button on the form",
                out.details(p, scan));
    }

    private void advance(Page p, Frame frame, PageScan before, PageScan.Button next) {
        a.ctx.event(
                "page_advanced",
                "Clicked \"" + next.text() + "\" on " + describe(before),
                Map.of("page", a.pages.size()));
        new FieldFiller(p, frame).click(frame.locator(next.selector()).first());
        waitForChange(p, before);
    }

    /** Waits until the page shows something else, or shows errors, or the wait runs out. */
    private void waitForChange(Page p, PageScan before) {
        long end = System.currentTimeMillis() + a.waits.advanceMs();
        while (System.currentTimeMillis() < end) {
            p.waitForTimeout(150);
            FieldScanner.Scanned now = a.scanQuietly(p);
            if (now == null) {
                continue;
            }
            if (!now.scan().signature().equals(before.signature())) {
                return;
            }
            if (!now.scan().errors().isEmpty() && !now.scan().errors().equals(before.errors())) {
                a.ctx.event(
                        "validation_errors",
                        "The page reports: " + String.join("; ", now.scan().errors()),
                        Map.of("errors", now.scan().errors()));
                return;
            }
        }
    }

    private Page followApply(Page p, FieldScanner.Scanned s, PageScan.Button apply) {
        a.ctx.event("apply_clicked", "Clicked \"" + apply.text() + "\" on the job listing", Map.of("url", p.url()));
        List<Page> opened = new ArrayList<>();
        Consumer<Page> onPage = opened::add;
        p.context().onPage(onPage);
        try {
            new FieldFiller(p, s.frame())
                    .click(s.frame().locator(apply.selector()).first());
            p.waitForTimeout(100); // a new tab, if the link opens one
            settle(p);
        } finally {
            p.context().offPage(onPage);
        }
        if (!opened.isEmpty()) {
            Page tab = opened.get(opened.size() - 1);
            tab.waitForLoadState(LoadState.DOMCONTENTLOADED);
            tab.bringToFront();
            a.ctx.event("tab_opened", "The application opened in a new tab", Map.of("url", tab.url()));
            a.active = tab;
            return tab;
        }
        return p;
    }

    /** Lets the page finish what it is doing: parsed, its scripts' requests answered, its DOM still. */
    static void settle(Page p) {
        try {
            p.waitForLoadState(LoadState.DOMCONTENTLOADED, new Page.WaitForLoadStateOptions().setTimeout(15000));
        } catch (PlaywrightException e) {
            // a slow document: the quiet wait below still bounds the settle
        }
        // busy pages (analytics, long polling) never go quiet; then the DOM as it is after 3 s is what we work with
        PageQuiet.await(p, ApplyEngine.QUIET_MS, 3000);
    }

    /** The fields of a scan a person sees. */
    static List<FormField> fillable(PageScan scan) {
        return scan.fields().stream().filter(f -> f.visible()).toList();
    }

    /** The page in a few words: its step, heading or title (its URL when it has none). */
    static String describe(PageScan scan) {
        String h = !scan.step().isBlank() ? scan.step() : !scan.heading().isBlank() ? scan.heading() : scan.title();
        return Text.clip(h == null || h.isBlank() ? scan.url() : h, 80);
    }
}
