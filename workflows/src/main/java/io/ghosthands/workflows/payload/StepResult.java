package io.ghosthands.workflows.payload;

import java.util.List;
import java.util.Map;

/**
 * Where a browser step stopped. Failures are not results: they are thrown as activity failures whose
 * type is an {@link io.ghosthands.workflows.ErrorCode} wire code.
 *
 * @param kind {@link #DONE}, {@link #BLOCKED}, {@link #NEEDS_ANSWERS} or {@link #READY_TO_SUBMIT}
 * @param resultData {@code result_data} when done; what was filled when ready to submit
 * @param summary {@code result_summary} when done
 * @param screenshotUrls screenshots taken by the step, in order
 * @param interaction why a human is needed (blocked, needs answers)
 * @param progress how far the job got
 */
public record StepResult(
        String kind,
        Map<String, Object> resultData,
        String summary,
        List<String> screenshotUrls,
        Interaction interaction,
        Progress progress) {

    public static final String DONE = "done";
    public static final String BLOCKED = "blocked";
    public static final String NEEDS_ANSWERS = "needs_answers";
    public static final String READY_TO_SUBMIT = "ready_to_submit";

    public boolean is(String k) {
        return kind.equals(k);
    }
}
