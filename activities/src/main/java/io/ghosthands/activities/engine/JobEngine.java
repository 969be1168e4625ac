package io.ghosthands.activities.engine;

import com.microsoft.playwright.Page;
import java.util.Map;

/**
 * The deterministic work of one job type on a page. One instance per job attempt; it keeps its own
 * state (pages visited, fields filled) between calls, so after a human resolved a blocker the same
 * instance is called again on the same page. Every call runs on the browser lane's thread.
 */
public interface JobEngine {

    /**
     * Works from wherever the page is now (first call: just navigated to the job's target URL) until
     * the job is done, blocked, needs answers, is ready for its final submit, or failed.
     */
    Outcome proceed(Page page);

    /**
     * Clicks the final submit (only after {@link Outcome.ReadyToSubmit}) and works on until done:
     * confirmation detected, or blocked/failed. Never clicks submit a second time unless the page
     * rejected the first (validation errors) and the engine refilled it.
     */
    /**
     * Answers a human gave on resume for questions the engine stopped on ({@code screening_question}),
     * question → answer; used from the next {@link #proceed} on, over any answers given before.
     * Engines that ask no questions ignore them.
     */
    default void addAnswers(Map<String, Object> answers) {}

    default Outcome submit(Page page) {
        return new Outcome.Failed("internal_error", getClass().getSimpleName() + " does not submit", Map.of());
    }
}
