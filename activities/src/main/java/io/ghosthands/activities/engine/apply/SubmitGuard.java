package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Page;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageQuiet;
import io.ghosthands.workflows.ErrorCode;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The final submit, clicked once: not when the page already confirms, never a second time unless the
 * page turned the first one down (validation errors, a challenge), and then only after the form was
 * filled again. After the click it waits for the confirmation, a blocker, or a rejection.
 */
final class SubmitGuard {

    private static final Pattern VALIDATION = Pattern.compile(
            "(?i)required|please (fill|enter|select|provide|complete|correct|choose)|invalid|must (be|provide|contain)|can ?not be"
                    + "|missing|is not valid|correction|incomplete|error");

    private final ApplyAttempt a;
    private final PageFiller filler;
    private final ApplyOutcomes out;

    SubmitGuard(ApplyAttempt attempt, PageFiller filler, ApplyOutcomes out) {
        this.a = attempt;
        this.filler = filler;
        this.out = out;
    }

    /** What the page did after a submit click: the page as last seen, or how the attempt ends. */
    private record Reply(FieldScanner.Scanned last, Outcome outcome) {}

    Outcome submitOnce(Page p) {
        if (System.nanoTime() - a.readyNanos > ApplyAttempt.READY_FRESH_NS) {
            PageWalker.settle(p); // the page has had time to change since it was found complete
        }
        FieldScanner.Scanned s = a.scanner.scan(p);
        Outcome already = confirmedOrClicked(p, s.scan());
        if (already != null) {
            return already;
        }
        for (int round = 0; round < 2 && a.submitClicks < 2; round++) {
            Optional<PageScan.Button> button =
                    FormNavigator.submit(s.scan(), PageWalker.fillable(s.scan()).size());
            if (button.isEmpty()) {
                out.screenshot(p, "no-submit");
                return new Outcome.Failed(
                        ErrorCode.FORM_NOT_FOUND.code(), "No submit button on the page", out.details(p, s.scan()));
            }
            Reply reply = click(p, s, button.get());
            if (reply.outcome() != null) {
                return reply.outcome();
            }
            PageScan last = reply.last().scan();
            if (!rejected(s.scan(), last)) {
                out.screenshot(p, "unconfirmed");
                return new Outcome.Failed(
                        ErrorCode.SUBMISSION_UNCONFIRMED.code(),
                        "Submit was clicked but no confirmation appeared",
                        out.details(p, last));
            }
            a.submitRejected = true;
            a.ctx.event(
                    "validation_errors",
                    "The form rejected the submit: " + String.join("; ", last.errors()),
                    Map.of("errors", last.errors()));
            if (round == 1) {
                break;
            }
            PageFiller.PageFill refill = filler.fillPage(p, reply.last(), true);
            if (refill.failure() != null) {
                return refill.failure();
            }
            if (!refill.missing().isEmpty()) {
                out.screenshot(p, "needs-answers");
                return new Outcome.NeedsAnswers(refill.missing());
            }
            s = new FieldScanner.Scanned(refill.frame(), refill.scan());
        }
        out.screenshot(p, "rejected");
        return new Outcome.Failed(
                ErrorCode.STUCK.code(),
                "The form rejected the submit twice",
                out.details(p, a.scanner.scan(p).scan()));
    }

    /**
     * The page already confirms the application (done), or submit was clicked as often as allowed
     * (not clicked again); null when a click may go ahead.
     */
    private Outcome confirmedOrClicked(Page p, PageScan scan) {
        int fields = PageWalker.fillable(scan).size();
        if (FormNavigator.confirmed(scan, fields)
                || a.submitClicks > 0 && FormNavigator.confirmedAfterSubmit(scan, fields)) {
            return out.done(p, scan, true);
        }
        // a second click only when the page turned the first one down (validation errors or a challenge)
        if (a.submitClicks >= 2 || (a.submitClicks == 1 && !a.submitRejected)) {
            return new Outcome.Failed(
                    ErrorCode.SUBMISSION_UNCONFIRMED.code(),
                    "Submit was already clicked; not clicking it again",
                    out.details(p, scan));
        }
        return null;
    }

    /**
     * Clicks the submit button and watches the page: a confirmation (done), a blocker, validation
     * errors (after {@code rejectMs}), or nothing until {@code confirmMs} has passed.
     */
    private Reply click(Page p, FieldScanner.Scanned s, PageScan.Button button) {
        a.ctx.progress("submitting", 92, "Submitting the application");
        a.ctx.event("submit_clicked", "Clicked \"" + button.text() + "\"", Map.of("attempt", a.submitClicks + 1));
        a.submitClicks++;
        a.submitRejected = false;
        new FieldFiller(p, s.frame()).click(s.frame().locator(button.selector()).first());

        long start = System.currentTimeMillis();
        long end = start + a.waits.confirmMs();
        FieldScanner.Scanned last = s;
        boolean look = false; // the first look right after the click: a quick page has answered already
        while (System.currentTimeMillis() < end) {
            if (look) {
                p.waitForTimeout(30);
            }
            look = true;
            FieldScanner.Scanned now = a.scanQuietly(p);
            if (now == null) {
                continue; // navigating
            }
            last = now;
            if (FormNavigator.confirmedAfterSubmit(
                    last.scan(), PageWalker.fillable(last.scan()).size())) {
                // the confirmation is up: a short quiet is enough for the final screenshot to show it whole
                PageQuiet.await(p, ApplyEngine.FOLLOW_UP_QUIET_MS, 1000);
                FieldScanner.Scanned fin = a.scanQuietly(p);
                return new Reply(last, out.done(p, fin == null ? last.scan() : fin.scan(), true));
            }
            Optional<BlockerDetector.Blocker> blocker = a.ctx.blocker(p);
            if (blocker.isPresent()) {
                a.submitRejected = true; // the challenge stood between the click and the submission
                return new Reply(last, out.blocked(p, blocker.get()));
            }
            if (rejected(s.scan(), last.scan()) && System.currentTimeMillis() > start + a.waits.rejectMs()) {
                break; // the form is still here and says what is wrong
            }
        }
        return new Reply(last, null);
    }

    /**
     * Whether the page turned a submit down: the submit button is still there and it shows new error
     * messages worded as validation, or marks another field invalid. Anything less is not a reason to click
     * the final submit again.
     */
    private static boolean rejected(PageScan before, PageScan after) {
        if (FormNavigator.submit(after, PageWalker.fillable(after).size()).isEmpty()) {
            return false;
        }
        boolean newErrors = after.errors().stream()
                .anyMatch(e ->
                        !before.errors().contains(e) && VALIDATION.matcher(e).find());
        Set<String> invalidBefore = new HashSet<>();
        before.fields().stream().filter(FormField::invalid).forEach(f -> invalidBefore.add(f.key()));
        boolean invalidField =
                after.fields().stream().anyMatch(f -> f.invalid() && f.visible() && !invalidBefore.contains(f.key()));
        return newErrors || invalidField;
    }
}
