package io.ghosthands.activities.browser;

import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.workflows.payload.Interaction;
import io.ghosthands.workflows.payload.Progress;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A step's result for the workflow, made of the engine's outcome and what the lane saw of the page. */
final class StepResults {

    private StepResults() {}

    /** What a step's lane work hands back to the activity thread. */
    record Finished(
            Outcome outcome,
            String screenshotUrl,
            String pageUrl,
            String pageTitle,
            int httpStatus,
            Progress progress,
            String traceUrl) {}

    /** The step's result; a failed outcome is thrown as the step's failure. */
    static StepResult result(Finished f) {
        Outcome o = f.outcome();
        if (o instanceof Outcome.Done done) {
            return done(f, done);
        }
        if (o instanceof Outcome.Blocked blocked) {
            BlockerDetector.Blocker b = blocked.blocker();
            Interaction why = new Interaction(
                    b.reason().code(),
                    b.description(),
                    f.screenshotUrl(),
                    f.pageUrl(),
                    b.confidence(),
                    b.signals(),
                    List.of());
            return new StepResult(StepResult.BLOCKED, Map.of(), null, shots(f), why, f.progress());
        }
        if (o instanceof Outcome.NeedsAnswers needs) {
            String description = needs.questions().size() == 1
                    ? "A required question has no answer: " + needs.questions().get(0)
                    : needs.questions().size() + " required questions have no answer";
            Interaction why = new Interaction(
                    "screening_question",
                    description,
                    f.screenshotUrl(),
                    f.pageUrl(),
                    1.0,
                    List.of(),
                    needs.questions());
            return new StepResult(StepResult.NEEDS_ANSWERS, Map.of(), null, shots(f), why, f.progress());
        }
        if (o instanceof Outcome.ReadyToSubmit ready) {
            return new StepResult(StepResult.READY_TO_SUBMIT, ready.filled(), null, List.of(), null, f.progress());
        }
        throw failure(f, (Outcome.Failed) o);
    }

    private static StepResult done(Finished f, Outcome.Done done) {
        Map<String, Object> data = new LinkedHashMap<>(done.resultData());
        // what every job reports, whatever its engine
        data.putIfAbsent("page_title", f.pageTitle());
        data.putIfAbsent("final_url", f.pageUrl());
        data.putIfAbsent("http_status", f.httpStatus());
        if (f.traceUrl() != null) {
            data.putIfAbsent("trace_url", f.traceUrl());
        }
        if (!done.screenshotUrls().isEmpty()) {
            data.putIfAbsent(
                    "screenshot_url",
                    done.screenshotUrls().get(done.screenshotUrls().size() - 1));
        }
        return new StepResult(
                StepResult.DONE,
                data,
                done.summary(),
                done.screenshotUrls(),
                null,
                new Progress("completed", 100, f.progress().actionsCompleted()));
    }

    private static ApplicationFailure failure(Finished f, Outcome.Failed failed) {
        Map<String, Object> details = new LinkedHashMap<>(failed.details());
        if (f.screenshotUrl() != null) {
            details.putIfAbsent("screenshot_url", f.screenshotUrl());
        }
        if (details.get("result_data") instanceof Map<?, ?> work) {
            // the engine's account of a failed job, with every screenshot of it (the failure's last)
            Map<String, Object> data = new LinkedHashMap<>();
            work.forEach((k, v) -> data.put(String.valueOf(k), v));
            List<Object> shots = new ArrayList<>(data.get("screenshot_urls") instanceof List<?> l ? l : List.of());
            if (f.screenshotUrl() != null && !shots.contains(f.screenshotUrl())) {
                shots.add(f.screenshotUrl());
            }
            data.put("screenshot_urls", shots);
            if (f.traceUrl() != null) {
                data.putIfAbsent("trace_url", f.traceUrl());
            }
            details.put("result_data", data);
        }
        details.putIfAbsent("page_url", f.pageUrl());
        if (f.traceUrl() != null) {
            details.putIfAbsent("trace_url", f.traceUrl());
        }
        return ApplicationFailure.newNonRetryableFailure(failed.message(), failed.code(), details);
    }

    private static List<String> shots(Finished f) {
        return f.screenshotUrl() == null ? List.of() : List.of(f.screenshotUrl());
    }
}
