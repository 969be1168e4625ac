package io.ghosthands.activities.engine;

import com.microsoft.playwright.Page;
import io.ghosthands.activities.browser.BlockerDetector;
import java.util.Map;
import java.util.Optional;

/**
 * What the browser activity gives an engine while it works on a page. All methods are called on the
 * browser lane's thread, like every Playwright call.
 */
public interface EngineContext {

    /**
     * Stores a screenshot as a job artifact and returns the URL that serves it: a JPEG when
     * {@code name} ends in {@code .jpg}, else a PNG.
     */
    String saveScreenshot(String name, byte[] image);

    /** Stores any other artifact (e.g. a trace zip) and returns the URL that serves it. */
    String saveArtifact(String kind, String name, String contentType, byte[] bytes);

    /**
     * Reports progress for people and for {@code needs_human.progress}: {@code step} is a short machine
     * word ({@code filling_form}, {@code uploading_resume}, {@code submitting}…), {@code pct} 0–100.
     */
    void progress(String step, int pct, String message);

    /** Checks the current page for a CAPTCHA, login wall, 2FA prompt or bot check. */
    Optional<BlockerDetector.Blocker> blocker(Page page);

    /** Appends a job event (type, e.g. {@code page_advanced}, with a message and small metadata). */
    void event(String type, String message, Map<String, Object> metadata);
}
