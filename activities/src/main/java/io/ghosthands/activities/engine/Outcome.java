package io.ghosthands.activities.engine;

import io.ghosthands.activities.browser.BlockerDetector;
import java.util.List;
import java.util.Map;

/** Where an engine stopped. */
public sealed interface Outcome {

    /**
     * The job's work is done.
     *
     * @param resultData {@code result_data}
     * @param summary {@code result_summary}, one line
     * @param screenshotUrls screenshots taken, in order (the last one shows the final page)
     */
    record Done(Map<String, Object> resultData, String summary, List<String> screenshotUrls) implements Outcome {}

    /**
     * The page needs a human (CAPTCHA, 2FA, login…). The page stays as it is; the engine is called
     * again with {@link JobEngine#proceed} after the human acted.
     */
    record Blocked(BlockerDetector.Blocker blocker) implements Outcome {}

    /**
     * Required questions the engine has no answer for (reason {@code screening_question}). Never
     * guessed. The page stays as it is.
     *
     * @param questions the labels of the unanswered required fields, in page order
     */
    record NeedsAnswers(List<String> questions) implements Outcome {}

    /**
     * The form is complete and the next click is the final submit. The engine has not clicked it; the
     * caller records that a submission is about to happen and then calls {@link JobEngine#submit}.
     *
     * @param filled what was filled so far (label to value, secrets masked)
     */
    record ReadyToSubmit(Map<String, Object> filled) implements Outcome {}

    /**
     * The job cannot go on.
     *
     * @param code an {@link io.ghosthands.workflows.ErrorCode} wire code
     * @param message for people
     * @param details extra {@code error_details}
     */
    record Failed(String code, String message, Map<String, Object> details) implements Outcome {}
}
