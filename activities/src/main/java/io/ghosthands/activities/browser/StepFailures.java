package io.ghosthands.activities.browser;

import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import io.ghosthands.workflows.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a browser step's failure is called: its error code and a one-line message. */
final class StepFailures {

    private static final Logger log = LoggerFactory.getLogger(StepFailures.class);

    private static final Pattern DRIVER_MESSAGE = Pattern.compile("message='([^\\n]*)");

    private StepFailures() {}

    /** A failure inside lane work, with the screenshot taken of the page as it failed. */
    static final class StepException extends RuntimeException {
        final String screenshotUrl;

        StepException(RuntimeException cause, String screenshotUrl) {
            super(cause.getMessage(), cause, false, false);
            this.screenshotUrl = screenshotUrl;
        }
    }

    static ApplicationFailure classify(Throwable cause, String screenshotUrl) {
        ErrorCode code;
        if (cause instanceof BrowserUnavailableException) {
            code = ErrorCode.BROWSER_UNAVAILABLE;
        } else if (cause instanceof TimeoutError) {
            code = ErrorCode.TIMEOUT;
        } else if (cause instanceof PlaywrightException
                && String.valueOf(cause.getMessage()).contains("net::ERR_")) {
            code = ErrorCode.NETWORK_ERROR;
        } else if (cause instanceof PlaywrightException
                && String.valueOf(cause.getMessage()).contains("closed")) {
            code = ErrorCode.BROWSER_CRASHED;
        } else {
            code = ErrorCode.INTERNAL_ERROR;
            log.warn("browser step failed unexpectedly", cause);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        if (screenshotUrl != null) {
            details.put("screenshot_url", screenshotUrl);
        }
        return ApplicationFailure.newNonRetryableFailureWithCause(firstLine(cause), code.code(), null, details);
    }

    /**
     * What happened, in one line: Playwright's driver errors read {@code Error { message='net::… at
     * url' name=… stack=… }}, others carry a multi-line call log after their first line.
     */
    static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        Matcher driver = DRIVER_MESSAGE.matcher(message);
        if (driver.find()) {
            return driver.group(1).strip();
        }
        return message.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElse(message);
    }
}
