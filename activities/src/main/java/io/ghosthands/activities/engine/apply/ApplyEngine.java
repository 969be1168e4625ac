package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.JobEngine;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.workflows.ErrorCode;
import java.util.List;
import java.util.Map;

/**
 * The deterministic apply engine: on a job listing or application form, fills every field it can
 * answer from the candidate profile and the caller's answers, attaches the résumé, walks the pages,
 * and (for {@code apply} jobs) submits once. It never guesses: a required question it cannot answer
 * stops it with {@link Outcome.NeedsAnswers}.
 *
 * <p>Use {@link #create(JobSpec, EngineContext)}; call {@link #proceed(Page)} until it returns
 * something other than {@link Outcome.Blocked} (after a human cleared the blocker, call it again on
 * the same instance), then on {@link Outcome.ReadyToSubmit} call {@link #submit(Page)} once. A
 * {@code fill_form} engine never submits: it ends with {@link Outcome.Done} and {@code submitted:false}.
 *
 * <p>The work is done by its parts, sharing one {@link ApplyAttempt}: {@link PageWalker} (listing,
 * pages, navigation), {@link PageFiller} (one page's fields, with {@link RepeatedEntries} and
 * {@link ResumeAttach}), {@link SubmitGuard} (the final submit and its confirmation), and
 * {@link ApplyOutcomes} (how it ends, with what it reports).
 */
public final class ApplyEngine implements JobEngine {

    /** Most loop turns one {@code proceed} call takes (pages, refills, apply clicks together). */
    static final int MAX_TURNS = 40;
    /** The same page signature this many times in a row means advancing does not work. */
    static final int STUCK_AFTER = 3;

    /**
     * How long pages get to react.
     *
     * @param advanceMs after a Next click (SPA re-render or navigation), before the page counts as unchanged
     * @param confirmMs after the final submit, for a confirmation to show
     * @param rejectMs after the final submit, before validation errors count as a rejection (a
     *     slow submission must not be mistaken for one: a second click could apply twice)
     */
    record Waits(int advanceMs, int confirmMs, int rejectMs) {
        static final Waits DEFAULT = new Waits(6000, 15000, 2500);
    }

    /**
     * How long a page must be still to count as settled. A page that renders from its requests' answers
     * counts as busy while they run, and re-renders within a frame or two of the last one; 100 ms
     * without a DOM change or a request is a page that has finished.
     */
    static final int QUIET_MS = 100;

    /** Answers may reveal follow-up questions; a script renders them at once. */
    static final int FOLLOW_UP_QUIET_MS = 40;

    /** The longest wait for a site to parse an attached résumé and prefill the form. */
    static final int RESUME_PARSE_MS = 6000;

    // state kept across proceed/submit calls of one job attempt
    private final ApplyAttempt attempt;
    private final ApplyOutcomes outcomes;
    private final PageWalker walker;
    private final SubmitGuard guard;

    /**
     * @param submitAllowed false for {@code fill_form}: the engine stops on the complete final page
     */
    public ApplyEngine(JobSpec spec, EngineContext ctx, boolean submitAllowed) {
        this(spec, ctx, submitAllowed, Waits.DEFAULT);
    }

    ApplyEngine(JobSpec spec, EngineContext ctx, boolean submitAllowed, Waits waits) {
        this.attempt = new ApplyAttempt(spec, ctx, submitAllowed, waits);
        this.outcomes = new ApplyOutcomes(attempt);
        PageFiller filler = new PageFiller(attempt);
        this.walker = new PageWalker(attempt, filler, outcomes);
        this.guard = new SubmitGuard(attempt, filler, outcomes);
    }

    /** The engine for {@code apply} (submits) or {@code fill_form} (never submits). */
    public static ApplyEngine create(JobSpec spec, EngineContext ctx) {
        return switch (spec.jobType()) {
            case "apply" -> new ApplyEngine(spec, ctx, true);
            case "fill_form" -> new ApplyEngine(spec, ctx, false);
            default ->
                throw new IllegalArgumentException("ApplyEngine runs apply and fill_form jobs, not " + spec.jobType());
        };
    }

    @Override
    public Outcome proceed(Page page) {
        Page p = attempt.current(page);
        // the stuck guard counts our own attempts: a human may have changed the page since the last call
        attempt.lastSignature = null;
        attempt.sameSignature = 0;
        try {
            return walker.walk(p);
        } catch (PlaywrightException e) {
            return outcomes.crashed(e);
        }
    }

    @Override
    public void addAnswers(Map<String, Object> answers) {
        if (answers == null || answers.isEmpty()) {
            return;
        }
        attempt.addAnswers(answers); // the questions that had no answer get their turns again
    }

    @Override
    public Outcome submit(Page page) {
        if (!attempt.submitAllowed) {
            return new Outcome.Failed(ErrorCode.INTERNAL_ERROR.code(), "a fill_form job never submits", Map.of());
        }
        Page p = attempt.current(page);
        try {
            return guard.submitOnce(p);
        } catch (PlaywrightException e) {
            return outcomes.crashed(e);
        }
    }

    /** What the engine did with each field it saw, in page order of first sight. */
    public List<FieldReport> fieldReport() {
        return attempt.fieldReport();
    }

    /**
     * Whether a field still says what was typed into it: letters and digits compared, one containing
     * the other, since sites reformat what they are given ("+1 415 555 0123" shown as "(415) 555-0123").
     */
    static boolean sameText(String shown, String typedValue) {
        return ApplyAttempt.sameText(shown, typedValue);
    }
}
