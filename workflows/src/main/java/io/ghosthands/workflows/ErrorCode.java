package io.ghosthands.workflows;

import java.util.Locale;

/**
 * The {@code error_code} values a job can end with (contract and integration update 007). The wire
 * form is the lower-case name, except for {@link #TWO_FA_REQUIRED}.
 */
public enum ErrorCode {
    /** The browser could not reach the page (refused, reset, DNS, TLS). */
    NETWORK_ERROR,
    /** The page answered with an HTTP error status. */
    PAGE_LOAD_FAILED,
    /** A step or the whole job ran past its time limit. */
    TIMEOUT,
    /** No Chromium could be started on the worker. */
    BROWSER_UNAVAILABLE,
    /** The browser or page closed under the job. */
    BROWSER_CRASHED,
    /** The worker running the job stopped answering. */
    WORKER_LOST,
    /**
     * The job's workflow was lost while a worker held the job (Temporal restarted and forgot it): the
     * reconciler failed it rather than run it again, since its application may have gone out.
     */
    WORKFLOW_LOST,
    /** The job never started before its deadline (e.g. its target worker never came). */
    WORKER_UNAVAILABLE,
    CAPTCHA_BLOCKED,
    TWO_FA_REQUIRED("2fa_required"),
    LOGIN_REQUIRED,
    BOT_CHECK,
    /** The site asks to slow down. */
    RATE_LIMITED,
    HUMAN_TIMEOUT,
    HUMAN_CANCELLED,
    /** The job's input cannot be run as given. */
    VALIDATION_ERROR,
    /** A form page did not change after repeated attempts to advance it. */
    STUCK,
    /** Required questions the job has no answer for (never guessed); details list them. */
    UNANSWERED_REQUIRED_FIELDS,
    /** The résumé could not be fetched, was too large or not a pdf/doc/docx. */
    RESUME_UNAVAILABLE,
    /** The page has no application form or apply button the engine can work with. */
    FORM_NOT_FOUND,
    /** Submit was clicked but no confirmation appeared; never submitted again automatically. */
    SUBMISSION_UNCONFIRMED,
    /** Anything not classified above; details say what. */
    INTERNAL_ERROR;

    private final String code;

    ErrorCode() {
        this.code = name().toLowerCase(Locale.ROOT);
    }

    ErrorCode(String code) {
        this.code = code;
    }

    /**
     * Whether a new attempt from a clean page may succeed where this one failed (network trouble, a
     * crashed browser, a lost worker, a slow page). Blockers, bad input and human decisions are not.
     * {@link #PAGE_LOAD_FAILED} is retryable only for server-side statuses, see {@link #retryableHttp}.
     */
    public boolean retryable() {
        switch (this) {
            case NETWORK_ERROR:
            case TIMEOUT:
            case BROWSER_UNAVAILABLE:
            case BROWSER_CRASHED:
            case WORKER_LOST:
            case INTERNAL_ERROR:
            // challenges a fresh session often does not get (the earlier implementation retried these)
            case CAPTCHA_BLOCKED:
            case BOT_CHECK:
            case RATE_LIMITED:
                return true;
            default:
                return false;
        }
    }

    /** HTTP statuses worth another attempt: 408, 429 and 5xx. */
    public static boolean retryableHttp(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The failure code for a page blocked for {@code reason} (captcha, 2fa, login, bot_check…). */
    public static ErrorCode forBlocker(String reason) {
        switch (reason) {
            case "captcha":
                return CAPTCHA_BLOCKED;
            case "2fa":
                return TWO_FA_REQUIRED;
            case "login":
                return LOGIN_REQUIRED;
            case "bot_check":
                return BOT_CHECK;
            case "rate_limited":
                return RATE_LIMITED;
            default:
                return INTERNAL_ERROR;
        }
    }

    /** The value stored in {@code error_code} and sent to clients. */
    public String code() {
        return code;
    }

    /** The enum for a wire code, or {@link #INTERNAL_ERROR} for anything unknown. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode value : values()) {
            if (value.code.equals(code)) {
                return value;
            }
        }
        return INTERNAL_ERROR;
    }
}
