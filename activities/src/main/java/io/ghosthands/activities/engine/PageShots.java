package io.ghosthands.activities.engine;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.ScreenshotType;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Screenshots of a job's page; once a secret was typed into it, with the secret fields masked
 * ({@link SecretTyping#screenshot}).
 *
 * <p>Full-page JPEG screenshots taken the quick way. An apply job keeps one after each page and one of
 * the confirmation; through Playwright's {@code fullPage} option each costs Chromium ~75 ms on a
 * form (Playwright first waits for fonts, hides the caret and re-measures the page), where asking
 * Chromium's DevTools for the same pixels with its fast encoder takes ~50 ms. Chromium only: on
 * any other browser, or when DevTools refuses, Playwright's own screenshot is taken instead.
 */
public final class PageShots {

    /** Chromium does not paint a texture taller than this; longer pages are cut there. */
    private static final double MAX_HEIGHT = 16_000;

    private static final Map<Page, CDPSession> SESSIONS = Collections.synchronizedMap(new WeakHashMap<>());

    private PageShots() {}

    /** The viewport as a PNG, as {@code page.screenshot()}, masked as above. */
    public static byte[] png(Page page) {
        return SecretTyping.screenshot(page, new Page.ScreenshotOptions());
    }

    /** The whole page (not just the viewport) as a JPEG of the given quality (1–100). */
    public static byte[] fullPageJpeg(Page page, int quality) {
        if (SecretTyping.typedOn(page)) {
            // DevTools cannot mask: Playwright's screenshot masks the fields a secret was typed into
            return SecretTyping.screenshot(
                    page,
                    new Page.ScreenshotOptions()
                            .setFullPage(true)
                            .setTimeout(10_000)
                            .setType(ScreenshotType.JPEG)
                            .setQuality(quality));
        }
        try {
            CDPSession cdp = SESSIONS.computeIfAbsent(page, p -> p.context().newCDPSession(p));
            JsonObject size = cdp.send("Page.getLayoutMetrics").getAsJsonObject("cssContentSize");
            JsonObject clip = new JsonObject();
            clip.addProperty("x", 0);
            clip.addProperty("y", 0);
            clip.addProperty("width", Math.max(1, size.get("width").getAsDouble()));
            clip.addProperty(
                    "height",
                    Math.max(1, Math.min(MAX_HEIGHT, size.get("height").getAsDouble())));
            clip.addProperty("scale", 1);
            JsonObject params = new JsonObject();
            params.addProperty("format", "jpeg");
            params.addProperty("quality", quality);
            params.addProperty("optimizeForSpeed", true);
            params.addProperty("captureBeyondViewport", true);
            params.add("clip", clip);
            return Base64.getDecoder()
                    .decode(cdp.send("Page.captureScreenshot", params)
                            .get("data")
                            .getAsString());
        } catch (RuntimeException e) { // PlaywrightException, or an answer without the expected fields
            if (page.isClosed()) {
                throw e instanceof PlaywrightException pe ? pe : new PlaywrightException("page closed", e);
            }
            SESSIONS.remove(page);
            return page.screenshot(new Page.ScreenshotOptions()
                    .setFullPage(true)
                    .setTimeout(10_000)
                    .setType(ScreenshotType.JPEG)
                    .setQuality(quality));
        }
    }
}
