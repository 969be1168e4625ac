package io.ghosthands.workflows;

import io.ghosthands.workflows.payload.Interaction;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a job's workflow reads the failures of its steps: what error code a failed activity means,
 * what it attached, whether a clean page on a new attempt may fix it, and how long to wait before
 * that attempt. Pure functions and the exceptions the workflow ends its attempts with; no Temporal
 * calls that reach the history.
 */
final class StepFailures {

    static final int MAX_BACKOFF_SECONDS = 60;

    private StepFailures() {}

    /** An attempt that ended without a result; retried when {@code retryable} and retries remain. */
    static final class AttemptFailure extends RuntimeException {
        final ErrorCode code;
        final Map<String, Object> details;
        final boolean retryable;

        AttemptFailure(ErrorCode code, String message, Map<String, Object> details, boolean retryable) {
            super(message, null, false, false);
            this.code = code;
            this.details = details;
            this.retryable = retryable;
        }
    }

    /** The job failed for good. */
    static final class JobFailed extends RuntimeException {
        final ErrorCode code;
        final Map<String, Object> details;

        JobFailed(ErrorCode code, String message, Map<String, Object> details) {
            super(message, null, false, false);
            this.code = code;
            this.details = details;
        }
    }

    /** The human chose to cancel the paused job. */
    static final class HumanCancelled extends RuntimeException {
        HumanCancelled() {
            super("cancelled by a human", null, false, false);
        }
    }

    /** How a failed browser step ends its attempt: its code, details and whether a retry may help. */
    static AttemptFailure attemptFailure(ActivityFailure e) {
        ErrorCode code = classify(e);
        Map<String, Object> details = detailsOf(e);
        boolean retryable = code == ErrorCode.PAGE_LOAD_FAILED
                ? ErrorCode.retryableHttp(((Number) details.getOrDefault("http_status", 0)).intValue())
                // an address the outbound URL policy refused is refused again on every attempt
                : code.retryable() && !FailureTypes.BLOCKED_ADDRESS.equals(details.get("reason"));
        return new AttemptFailure(code, messageOf(e), details, retryable);
    }

    /**
     * What a page that needs a human ends the attempt with when nobody can be asked (any more).
     *
     * @param questions the page asks questions nobody answered (else it is blocked)
     * @param askedBefore a human was asked {@code maxPauses} times already (not retried then)
     */
    static AttemptFailure blocked(Interaction why, boolean questions, boolean askedBefore, int maxPauses) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("screenshot_url", why.screenshotUrl());
        details.put("page_url", why.currentUrl());
        ErrorCode code;
        if (questions) {
            code = ErrorCode.UNANSWERED_REQUIRED_FIELDS;
            details.put("questions", why.questions());
        } else {
            code = ErrorCode.forBlocker(why.reason());
            details.put("blocker_type", why.reason());
            details.put("confidence", why.confidence());
            details.put("signals", why.signals());
        }
        String message = askedBefore
                ? why.description() + " (still blocked after " + maxPauses + " rounds with a human)"
                : why.description();
        return new AttemptFailure(code, message, details, !askedBefore && code.retryable());
    }

    /** Seconds before automatic retry number {@code retriesDone + 1}: doubling, at most a minute. */
    static int backoffSeconds(int initial, int retriesDone) {
        long backoff = (long) Math.max(1, initial) << Math.min(retriesDone, 10);
        return (int) Math.min(MAX_BACKOFF_SECONDS, backoff);
    }

    static ErrorCode classify(ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof ApplicationFailure) {
            return ErrorCode.fromCode(((ApplicationFailure) cause).getType());
        }
        if (cause instanceof TimeoutFailure) {
            switch (((TimeoutFailure) cause).getTimeoutType()) {
                case TIMEOUT_TYPE_SCHEDULE_TO_START:
                case TIMEOUT_TYPE_HEARTBEAT:
                    return ErrorCode.WORKER_LOST;
                default:
                    return ErrorCode.TIMEOUT;
            }
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    /**
     * What a browser step attached to its failure: {@code screenshot_url} of the page as it failed,
     * {@code http_status}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> detailsOf(ActivityFailure failure) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (failure.getCause() instanceof ApplicationFailure) {
            ApplicationFailure cause = (ApplicationFailure) failure.getCause();
            if (cause.getDetails().getSize() > 0) {
                Map<String, Object> given = cause.getDetails().get(0, Map.class, Map.class);
                if (given != null) {
                    details.putAll(given);
                }
            }
        }
        return details;
    }

    /** The {@code ApplicationFailure} type an activity failed with, or "" for any other failure. */
    static String failureType(ActivityFailure failure) {
        return failure.getCause() instanceof ApplicationFailure
                ? ((ApplicationFailure) failure.getCause()).getType()
                : "";
    }

    static String messageOf(ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof ApplicationFailure) {
            return ((ApplicationFailure) cause).getOriginalMessage();
        }
        if (cause instanceof TimeoutFailure) {
            return "Step timed out (" + ((TimeoutFailure) cause).getTimeoutType() + ")";
        }
        return cause == null ? failure.getMessage() : cause.getMessage();
    }
}
