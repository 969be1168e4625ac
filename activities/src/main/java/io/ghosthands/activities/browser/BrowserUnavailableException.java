package io.ghosthands.activities.browser;

/** No Chromium can be started; the message says what to install or set. */
public class BrowserUnavailableException extends RuntimeException {

    public BrowserUnavailableException(String message) {
        super(message);
    }

    public BrowserUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
